// Soak: `tsx bench/soak.ts --minutes N [--report FILE]` (npm run soak -- --minutes N).
//
// A farm on 127.0.0.1 run as a child `webfarm run -c` (temp config, temp admin socket): an HTTP service over
// three real servers with http health checks and a UDP service over two echo servers, both through the
// proxy engine. Sustained mixed load (wrk keep-alive, wrk Connection: close, a UDP datagram loop) with
// periodic faults: a real server killed and restarted, one hung (SIGSTOP/SIGCONT), config reloads, drains
// and enables through the API. The director's RSS, heap and open fds are sampled; the report gives error
// counts per kind, the trends and pass/fail on "RSS flat" and "no fd leak" (rules in bench/soak/trend.ts).
// Bounded: stops by itself after N minutes; every process started here is ended by its PID.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adminRequest } from '../src/admin/client.ts';
import { type Started, run, start, stopAll } from './exec.ts';
import { type FaultPlan, faultSchedule } from './soak/faults.ts';
import { type Counters, udpLoad, wrkLoop } from './soak/load.ts';
import { freeTcpPort, freeUdpPort } from './soak/ports.ts';
import { type SoakResult, formatReport } from './soak/report.ts';
import { type Sample, fdVerdict, rssVerdict } from './soak/trend.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    report: { type: 'string' },
    'sample-s': { type: 'string', default: '3' },
  },
});
const minutes = Number(values.minutes);
const sampleS = Number(values['sample-s']);
if (!(minutes > 0) || !(sampleS > 0)) {
  console.error('soak: --minutes and --sample-s must be positive numbers');
  process.exit(2);
}
const durationMs = minutes * 60_000;
/** Samples before this are warm-up (JIT, pools, first GCs) and left out of the RSS rule. */
const warmupS = Math.max(30, (minutes * 60) / 4);

const log = (msg: string) => process.stderr.write(`soak ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Farm {
  dir: string;
  config: string;
  socket: string;
  httpVip: number;
  udpVip: number;
  httpPorts: number[];
  udpPorts: number[];
  reals: Map<number, Started>;
  director?: Started;
  /** Weight of the third HTTP real in the config file (toggled by reloads). */
  weight: number;
}

function configText(f: Farm): string {
  const [a, b, c] = f.httpPorts as [number, number, number];
  return `# soak farm (bench/soak.ts)
admin: { socket: ${f.socket}, state_file: false }
services:
  - name: web
    address: 127.0.0.1
    port: ${f.httpVip}
    scheduler: wlc
    connect: { timeout: 1s, retries: 2, redispatch: true }
    check: { type: http, request: /health, receive: ok, interval: 500ms, timeout: 1s, fall: 2, rise: 2 }
    real_servers:
      - 127.0.0.1:${a}
      - 127.0.0.1:${b}
      - { address: 127.0.0.1, port: ${c}, weight: ${f.weight} }
  - name: echo
    protocol: udp
    address: 127.0.0.1
    port: ${f.udpVip}
    scheduler: rr
    real_servers: [127.0.0.1:${f.udpPorts[0]}, 127.0.0.1:${f.udpPorts[1]}]
`;
}

async function startHttpReal(f: Farm, port: number): Promise<void> {
  const s = start(`http-real-${port}`, [
    process.execPath,
    '--import',
    'tsx',
    join(ROOT, 'bench/soak/http-real.ts'),
    String(port),
    `r${port}`,
  ]);
  f.reals.set(port, s);
  stoppable.add(s.pid);
  await s.waitForOutput(/ready http/, 15_000);
}

async function startFarm(): Promise<Farm> {
  const dir = await mkdtemp(join(tmpdir(), 'wf-soak-'));
  farmDir = dir;
  const f: Farm = {
    dir,
    config: join(dir, 'farm.yaml'),
    socket: join(dir, 'admin.sock'),
    httpVip: await freeTcpPort(),
    udpVip: await freeUdpPort(),
    httpPorts: [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()],
    udpPorts: [await freeUdpPort(), await freeUdpPort()],
    reals: new Map(),
    weight: 1,
  };
  for (const p of f.httpPorts) await startHttpReal(f, p);
  for (const p of f.udpPorts) {
    const s = start(`udp-echo-${p}`, [
      process.execPath,
      '--import',
      'tsx',
      join(ROOT, 'bench/servers/udp-echo.ts'),
      String(p),
    ]);
    f.reals.set(p, s);
    await s.waitForOutput(/ready udp/, 15_000);
  }
  await writeFile(f.config, configText(f));
  f.director = start('director', [process.execPath, join(ROOT, 'bin/webfarm.js'), 'run', '-c', f.config]);
  await until(() => api(f, 'GET', '/v1/status').then(() => true), 20_000, 'the admin API');
  await until(() => allHttpUp(f), 20_000, 'every HTTP real server up');
  return f;
}

function api(f: Farm, method: string, path: string, body?: unknown): Promise<unknown> {
  return adminRequest(f.socket, method, path, body);
}

async function allHttpUp(f: Farm): Promise<boolean> {
  const sid = encodeURIComponent(`tcp:127.0.0.1:${f.httpVip}`);
  const svc = (await api(f, 'GET', `/v1/services/${sid}`)) as {
    reals: Array<{ health: string; admin: string }>;
  };
  return svc.reals.length === 3 && svc.reals.every((r) => r.health === 'up' && r.admin === 'enabled');
}

/** Poll `ok` (errors count as false) every 250 ms until true; throws after `ms`. */
async function until(ok: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`soak: no ${what} within ${ms} ms`);
}

async function fdCount(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

async function rssBytes(pid: number): Promise<number> {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmRSS');
  return Number(m[1]) * 1024;
}

async function heapUsed(f: Farm): Promise<number | undefined> {
  const text = await new Promise<string>((resolve, reject) => {
    import('node:http').then(({ request }) => {
      const req = request({ socketPath: f.socket, path: '/metrics' }, (res) => {
        let t = '';
        res.on('data', (c: Buffer) => {
          t += c.toString('utf8');
        });
        res.on('end', () => resolve(t));
      });
      req.on('error', reject);
      req.end();
    }, reject);
  });
  const m = /^webfarm_process_heap_used_bytes\S* (\d+(?:\.\d+)?(?:e\+?\d+)?)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

async function main(): Promise<SoakResult> {
  const started = Date.now();
  log(`starting the farm (${minutes} min, warm-up ${warmupS} s, samples every ${sampleS} s)`);
  const f = await startFarm();
  const pid = (f.director as Started).pid;
  const fdSamples: number[] = [];
  for (let i = 0; i < 3; i++) {
    fdSamples.push(await fdCount(pid));
    await sleep(500);
  }
  const fdBaseline = fdSamples.sort((a, b) => a - b)[1] as number;
  log(`director pid ${pid}, fd baseline ${fdBaseline}; load and faults for ${minutes} min`);

  const counters: Counters = {};
  const t0 = Date.now();
  const end = t0 + durationMs;
  const rss: Sample[] = [];
  const heap: Sample[] = [];
  const fds: Sample[] = [];
  const sampler = (async () => {
    while (Date.now() < end) {
      const t = (Date.now() - t0) / 1000;
      try {
        rss.push({ t, v: await rssBytes(pid) });
        fds.push({ t, v: await fdCount(pid) });
        const h = await heapUsed(f);
        if (h !== undefined) heap.push({ t, v: h });
      } catch (e) {
        counters['sample failed'] = (counters['sample failed'] ?? 0) + 1;
        log(`sample: ${(e as Error).message}`);
      }
      await sleep(Math.min(sampleS * 1000, Math.max(0, end - Date.now())));
    }
  })();
  const url = `http://127.0.0.1:${f.httpVip}/`;
  const plan: FaultPlan = {
    kill: f.httpPorts[0] as number,
    hang: f.httpPorts[1] as number,
    drain: f.httpPorts[2] as number,
    stopReal: async (port) => {
      const s = f.reals.get(port);
      if (s) process.kill(s.pid, 'SIGKILL');
      await s?.exited;
    },
    startReal: (port) => startHttpReal(f, port),
    signal: (port, sig) => {
      const s = f.reals.get(port);
      if (s) process.kill(s.pid, sig);
    },
    reload: async () => {
      f.weight = f.weight === 1 ? 2 : 1;
      await writeFile(f.config, configText(f));
      await api(f, 'POST', '/v1/reload');
    },
    api: (method, path, body) => api(f, method, path, body).then(() => undefined),
    sid: `tcp:127.0.0.1:${f.httpVip}`,
    log,
  };
  const faults = faultSchedule(plan, end, counters);
  await Promise.all([
    wrkLoop(url, { connections: 8, close: false }, end, counters, 'keep-alive'),
    wrkLoop(url, { connections: 4, close: true }, end, counters, 'close'),
    udpLoad(f.udpVip, end, counters),
    sampler,
    faults,
  ]);

  log('load and faults over; waiting for the farm to settle');
  for (const port of f.httpPorts) {
    const s = f.reals.get(port);
    if (s) process.kill(s.pid, 'SIGCONT');
  }
  await api(
    f,
    'POST',
    `/v1/services/${encodeURIComponent(plan.sid)}/reals/${encodeURIComponent(`127.0.0.1:${plan.drain}`)}/enable`,
  ).catch(() => undefined);
  await until(() => allHttpUp(f), 30_000, 'every HTTP real server up after the run').catch((e: Error) => {
    counters['not up after the run'] = 1;
    log(e.message);
  });
  // Idle keep-alive connections from the load are closed by the clients; give the director up to 30 s.
  let fdFinal = await fdCount(pid);
  const settleEnd = Date.now() + 30_000;
  while (fdFinal > fdBaseline + 2 && Date.now() < settleEnd) {
    await sleep(1000);
    fdFinal = await fdCount(pid);
  }
  const afterWarmup = (s: Sample[]) => s.filter((x) => x.t >= warmupS);
  return {
    command: `npm run soak -- --minutes ${minutes}`,
    minutes,
    warmupS,
    sampleS,
    wallS: (Date.now() - started) / 1000,
    counters,
    rss,
    heap,
    fds,
    rssRule: rssVerdict(afterWarmup(rss)),
    heapSlopeMiBPerMin: rssVerdict(afterWarmup(heap)).slopeMiBPerMin,
    fdRule: fdVerdict(fdBaseline, fdFinal),
    node: process.version,
    wrk:
      (await run(['wrk', '--version'], 5000).catch(() => ({ stdout: '', out: 'wrk ?' }))).out.split(
        '\n',
      )[0] ?? '',
    dir: f.dir,
  };
}

/** The farm's temp directory (config, socket), removed by cleanup. */
let farmDir: string | undefined;
/** Every real server process ever started (a stopped one must get SIGCONT to see its SIGTERM). */
const stoppable = new Set<number>();
let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const pid of stoppable) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  await stopAll();
  if (farmDir) await rm(farmDir, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  log('interrupted: stopping every process started here');
  void cleanup().then(() => process.exit(130));
});
// A hard bound in case something hangs: the run plus three minutes of start and settle.
const hard = setTimeout(() => {
  log('hard time limit reached: stopping');
  void cleanup().then(() => process.exit(3));
}, durationMs + 180_000);

try {
  const result = await main();
  await cleanup();
  clearTimeout(hard);
  const report = formatReport(result);
  process.stdout.write(report);
  if (values.report) await writeFile(values.report, report);
  process.exit(result.rssRule.pass && result.fdRule.pass ? 0 : 1);
} catch (e) {
  log(`failed: ${(e as Error).stack ?? e}`);
  await cleanup();
  clearTimeout(hard);
  process.exit(2);
}
