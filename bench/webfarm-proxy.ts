// The webfarm proxy engine as the benchmark runs it: one director, one service per forward, each with one
// real server, started programmatically. argv: FORWARD... (tcp:HOST:PORT=HOST:PORT | udp:…, see
// bench/topology.ts formatForward). Prints "ready" once listening; stops cleanly on SIGTERM.
import { buildDirector } from '../src/director/farm-plan.ts';
import { createProxyEngine } from '../src/engines/proxy/proxy-engine.ts';
import { systemClock } from '../src/platform/clock.ts';
import { benchPlan } from './bench-plan.ts';
import { parseForward } from './topology.ts';

const director = buildDirector(benchPlan(process.argv.slice(2).map(parseForward)), systemClock);
const engine = createProxyEngine(director, {
  clock: systemClock,
  onError: (e: unknown) => process.stderr.write(`webfarm proxy: ${String(e)}\n`),
});
await engine.start();
director.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void Promise.resolve(engine.stop()).finally(() => process.exit(0));
});
