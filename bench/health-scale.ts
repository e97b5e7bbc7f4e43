// Health checking at scale (issue #3 item 7; docs/BENCHMARKS.md "Health checking at scale"). NOT a test:
// a standalone measurement, run with
//
//   npx tsx bench/health-scale.ts [--servers 1000] [--interval-ms 1000] [--seconds 30] [--warmup 5]
//   npx tsx bench/health-scale.ts --baseline     # the floor: bare net.connect + destroy, no Monitor
//
// It starts one child process holding N listening TCP sockets on 127.0.0.1 (port 0 each: loopback only),
// then runs the real health Monitor (src/health/monitor.ts) in this process with one `connect` check per
// socket at the given interval, and measures THIS process only (the checker): CPU as a share of one core
// (process.cpuUsage over wall time) and RSS (max and at the end), after a warm-up that lets the jittered
// first runs spread out. The child's CPU (accepting the connections) is reported separately. With
// --baseline the same connects are made by bare staggered intervals (no Monitor, no probe, no timeout), to
// separate the checker's own cost from the sockets' (syscalls and loopback TCP processing).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { CheckSpec } from '../src/health/check-spec.ts';
import { Monitor, type MonitoredCheck } from '../src/health/monitor.ts';
import { createProbe } from '../src/health/probe-registry.ts';
import { systemClock } from '../src/platform/clock.ts';
import { silentLogger } from '../src/platform/log.ts';
import { seededRng } from '../src/platform/random.ts';
import { wholeNumber } from './flags.ts';
import { cpuSeconds } from './proc-stats.ts';

const HOST = '127.0.0.1';

/** The peer: N listeners; each accepted connection is closed when the checker closes it. */
const PEER_SOURCE = `
const net = require('node:net');
const n = Number(process.argv[1]);
const ports = [];
let ready = 0;
for (let i = 0; i < n; i++) {
  const s = net.createServer((c) => { c.on('error', () => {}); c.resume(); c.on('end', () => c.end()); });
  s.listen({ host: '${HOST}', port: 0, backlog: 64 }, () => {
    ports.push(s.address().port);
    if (++ready === n) process.stdout.write(JSON.stringify(ports) + '\\n');
  });
}
process.on('SIGTERM', () => process.exit(0));
`;

interface Options {
  servers: number;
  intervalMs: number;
  seconds: number;
  warmup: number;
  baseline: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      servers: { type: 'string', default: '1000' },
      'interval-ms': { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      baseline: { type: 'boolean', default: false },
    },
  });
  return {
    servers: wholeNumber('--servers', values.servers),
    intervalMs: wholeNumber('--interval-ms', values['interval-ms']),
    seconds: wholeNumber('--seconds', values.seconds),
    warmup: wholeNumber('--warmup', values.warmup, 0),
    baseline: values.baseline,
  };
}

async function startPeer(n: number): Promise<{ child: ChildProcess; ports: number[] }> {
  const child = spawn(process.execPath, ['-e', PEER_SOURCE, String(n)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('peer exited before listening');
    }),
  ])) as [string];
  lines.close();
  return { child, ports: JSON.parse(line) as number[] };
}

function checks(ports: number[], intervalMs: number): MonitoredCheck[] {
  const spec: CheckSpec = {
    type: 'connect',
    intervalMs,
    timeoutMs: intervalMs,
    fall: 2,
    rise: 2,
    settings: {},
  };
  return ports.map((port) => ({
    key: `connect|${HOST}|${port}`,
    target: { protocol: 'tcp', address: HOST, port, virtualAddress: HOST, virtualPort: 80 },
    spec,
    initial: { kind: 'unknown' },
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** --baseline: one bare connect + destroy per port per interval, staggered; returns a stop function. */
function bareConnects(ports: number[], intervalMs: number, onDone: (ok: boolean) => void): () => void {
  const timers: NodeJS.Timeout[] = [];
  ports.forEach((port, i) => {
    const tick = () => {
      const s = connect({ host: HOST, port });
      s.once('connect', () => {
        s.destroy();
        onDone(true);
      });
      s.once('error', () => onDone(false));
    };
    const start = setTimeout(
      () => timers.push(setInterval(tick, intervalMs)),
      (i * intervalMs) / ports.length,
    );
    timers.push(start);
  });
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}

async function main(): Promise<void> {
  const o = options();
  const { child, ports } = await startPeer(o.servers);
  let reports = 0;
  let failures = 0;
  const count = (ok: boolean) => {
    reports++;
    if (!ok) failures++;
  };
  const monitor = new Monitor({
    clock: systemClock,
    rng: seededRng(1),
    log: silentLogger,
    probe: createProbe,
    onReport: (r) => count(r.result.ok),
  });
  let stopBaseline = () => {};
  try {
    if (o.baseline) stopBaseline = bareConnects(ports, o.intervalMs, count);
    else monitor.reconcile(checks(ports, o.intervalMs));
    await sleep(o.warmup * 1000);
    const cpu0 = process.cpuUsage();
    const peerCpu0 = cpuSeconds(child.pid as number);
    const t0 = performance.now();
    const reports0 = reports;
    const failures0 = failures;
    let rssMax = 0;
    for (let s = 0; s < o.seconds; s++) {
      await sleep(1000);
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
    }
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const peerCpuS = cpuSeconds(child.pid as number) - peerCpu0;
    const mem = process.memoryUsage();
    const result = {
      mode: o.baseline ? 'baseline' : 'monitor',
      servers: o.servers,
      intervalMs: o.intervalMs,
      seconds: Number(wallS.toFixed(1)),
      checksPerSecond: Number(((reports - reports0) / wallS).toFixed(1)),
      failures: failures - failures0,
      cpuPercentOfOneCore: Number(((100 * cpuS) / wallS).toFixed(2)),
      userS: Number((cpu.user / 1e6).toFixed(2)),
      systemS: Number((cpu.system / 1e6).toFixed(2)),
      rssMiBMax: Number((rssMax / 2 ** 20).toFixed(1)),
      rssMiBEnd: Number((mem.rss / 2 ** 20).toFixed(1)),
      heapUsedMiB: Number((mem.heapUsed / 2 ** 20).toFixed(1)),
      peerCpuPercentOfOneCore: Number(((100 * peerCpuS) / wallS).toFixed(2)),
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const target = result.cpuPercentOfOneCore < 10 ? 'under' : 'OVER';
    process.stdout.write(
      `${o.servers} connect checks every ${o.intervalMs} ms: ${result.checksPerSecond} checks/s, ` +
        `${result.cpuPercentOfOneCore}% of one core (${target} the 10% target), RSS ${result.rssMiBMax} MiB max\n`,
    );
  } finally {
    monitor.stop();
    stopBaseline();
    child.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`health-scale: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
