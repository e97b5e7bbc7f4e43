// The nft engine's control plane at one table size, as a child process of bench/control-phase.ts (so its
// peak RSS is the director's alone and a size that runs too long can be ended by its process group).
// argv: SERVICES REALS SCHEDULER [CHANGES=11] [BUDGET_MS=60000]. Runs in the namespace it was started in (the parent wraps it in
// `ip netns exec`), table `webfarm_cp`. Prints progress lines, then one JSON line (ControlResult).
//
// What it times: start (render + apply of every service) and CHANGES times one real server's weight change
// (editReal → engine settled, i.e. the batch applied), each alone; the changes stop early once they have
// taken BUDGET_MS together (at least one is made), so a large table stays bounded in time.
import { Director } from '../src/director/director.ts';
import { REAL_DEFAULTS, type RealServerSpec } from '../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../src/director/timeouts.ts';
import { serviceSpec, type ServiceSpec } from '../src/director/virtual-service.ts';
import { NftEngine } from '../src/engines/nft/nft-engine.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { ControlResult } from './control.ts';

const VIP = '203.0.113.240';
const [services, reals, scheduler, changes] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  process.argv[4] as ServiceSpec['scheduler'],
  Number(process.argv[5] ?? 11),
];
const budgetMs = Number(process.argv[6] ?? 60_000);

/** Real server i: 250 addresses of 198.51.100.0/24 × as many ports as needed (documentation range only). */
function real(i: number): RealServerSpec {
  return {
    ...REAL_DEFAULTS,
    address: `198.51.100.${1 + (i % 250)}`,
    port: 8080 + Math.floor(i / 250),
    forward: 'masq',
  };
}

function spec(port: number): ServiceSpec {
  return serviceSpec('tcp', VIP, port, scheduler);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const errors: string[] = [];
const director = new Director(systemClock, DEFAULT_TIMEOUTS);
const realList = Array.from({ length: reals }, (_, i) => real(i));
for (let s = 0; s < services; s++) director.addService(spec(1000 + s), realList);
const engine = new NftEngine(director, {
  statsIntervalMs: 0,
  table: 'webfarm_cp',
  onError: (e) => errors.push(e.message.split('\n')[0] ?? ''),
});
say(`applying ${services} × ${reals} (${scheduler})`);
const t0 = performance.now();
await engine.start();
const applyMs = performance.now() - t0;
const applyBytes = engine.lastScript.length;
say(`applied in ${applyMs.toFixed(0)} ms`);
const changeMs: number[] = [];
const plans = new Set<string>();
let batchBytes = 0;
const first = realList[0] as RealServerSpec;
let spent = 0;
for (let k = 0; k < changes && spent < budgetMs; k++) {
  const t = performance.now();
  director.editReal(`tcp:${VIP}:1000`, `${first.address}:${first.port}`, { weight: 1 + ((k + 1) % 3) });
  await engine.settled();
  changeMs.push(performance.now() - t);
  spent += performance.now() - t;
  plans.add(engine.lastPlan);
  batchBytes = Math.max(batchBytes, engine.lastScript.length);
  say(`change ${k + 1}/${changes}: ${changeMs[k]?.toFixed(1)} ms (${engine.lastPlan})`);
}
const maxRssMiB = process.resourceUsage().maxRSS / 1024;
await engine.stop();
const result: ControlResult = {
  services,
  reals,
  scheduler,
  applyMs,
  applyBytes,
  changeMs,
  plans: [...plans],
  batchBytes,
  maxRssMiB,
  errors,
};
say(JSON.stringify(result));
process.exit(0);
