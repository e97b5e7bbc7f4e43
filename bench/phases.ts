import type { BenchOptions, Measure, PathName } from './args.ts';
import type { Started } from './exec.ts';
import { measureHttp } from './measure-http.ts';
import { measureIdle } from './measure-idle.ts';
import { measureThroughput } from './measure-throughput.ts';
import { measureUdp, UDP_SIZE, UDP_WINDOW } from './measure-udp.ts';
import type { Netns } from './netns.ts';
import { startHold, startIperfServer, startNginx, startUdpEcho } from './peers.ts';
import { type ProxyStart, startProxy, udpUnsupported } from './proxies.ts';
import { type BenchResult, MEASURE_INFO, seriesOf } from './result.ts';
import type { Sample } from './sample.ts';
import { formatNumber } from './report.ts';
import { holdForward, HOST, PATH_PORTS, trafficForwards } from './topology.ts';
import { wrkArgv } from './wrk.ts';

type Log = (line: string) => void;
const TRAFFIC: readonly Measure[] = ['keepalive', 'close', 'throughput', 'udp'];

/**
 * Backends and proxies up once; then each round runs every traffic measure over every path in turn, so
 * drift in machine load spreads over all paths. A failed sample is noted and the run goes on.
 */
export async function runTrafficPhase(
  ns: Netns,
  dir: string,
  opts: BenchOptions,
  r: BenchResult,
  log: Log,
): Promise<void> {
  const measures = TRAFFIC.filter((m) => opts.only.includes(m));
  if (measures.length === 0) return;
  const backends = await startBackends(ns, dir, measures);
  const proxies = new Map<PathName, ProxyStart>();
  for (const p of opts.paths) proxies.set(p, await startProxy(p, ns, dir, opts, trafficForwards(p)));
  recordCommands(r, measures, opts);
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      for (const m of measures) {
        for (const p of opts.paths) {
          const s = seriesOf(r, m, p);
          const why = skipReason(m, p, proxies.get(p));
          if (why) {
            s.skipped = why;
            continue;
          }
          const cpuPid = cpuPidFor(m, p, proxies.get(p), backends);
          try {
            const sample = await measureOne(ns, m, p, opts, cpuPid);
            s.samples.push(sample);
            log(`round ${round}/${opts.rounds} ${m} ${p}: ${describe(m, sample)}`);
          } catch (e) {
            const msg = `${m} ${p} round ${round}: ${(e as Error).message.split('\n')[0]}`;
            r.notes.push(msg);
            log(`FAILED ${msg}`);
          }
        }
      }
    }
  } finally {
    for (const ps of proxies.values()) if (ps.ok) await ps.proc.stop();
    for (const b of Object.values(backends)) await b?.stop();
  }
}

interface Backends {
  nginx?: Started;
  iperf?: Started;
  udp?: Started;
}

async function startBackends(ns: Netns, dir: string, measures: readonly Measure[]): Promise<Backends> {
  const b: Backends = {};
  if (measures.includes('keepalive') || measures.includes('close')) b.nginx = await startNginx(ns, dir);
  if (measures.includes('throughput')) b.iperf = await startIperfServer(ns);
  if (measures.includes('udp')) b.udp = await startUdpEcho(ns);
  return b;
}

function skipReason(m: Measure, p: PathName, proxy: ProxyStart | undefined): string | undefined {
  if (m === 'udp' && udpUnsupported(p)) return udpUnsupported(p);
  if (p !== 'direct' && proxy && !proxy.ok) return proxy.reason;
  return undefined;
}

/** Whose CPU to charge: the proxy; for direct, the backend that does the work (nginx, echo server). */
function cpuPidFor(m: Measure, p: PathName, proxy: ProxyStart | undefined, b: Backends): number | undefined {
  if (p !== 'direct') return proxy?.ok ? proxy.proc.pid : undefined;
  if (m === 'keepalive' || m === 'close') return b.nginx?.pid;
  if (m === 'udp') return b.udp?.pid;
  return undefined;
}

function measureOne(
  ns: Netns,
  m: Measure,
  p: PathName,
  o: BenchOptions,
  cpuPid: number | undefined,
): Promise<Sample> {
  const ports = PATH_PORTS[p];
  switch (m) {
    case 'keepalive':
    case 'close':
      return measureHttp(
        ns,
        ports.http,
        { durationS: o.durationS, connections: o.connections, close: m === 'close' },
        cpuPid,
      );
    case 'throughput':
      return measureThroughput(ns, ports.iperf, o.durationS, cpuPid);
    case 'udp':
      return measureUdp(ns, ports.udp as number, o.durationS, cpuPid);
    case 'idle':
      throw new Error('idle is measured in its own phase');
  }
}

function describe(m: Measure, s: Sample): string {
  const info = MEASURE_INFO[m];
  const cpu = s.cpu === undefined ? '' : `, ${formatNumber(s.cpu)} ${info.cpuUnit}`;
  const err = s.errors ? `, ${s.errors} errors` : '';
  return `${formatNumber(s.value)} ${info.unit}${cpu}${err}`;
}

function recordCommands(r: BenchResult, measures: readonly Measure[], o: BenchOptions): void {
  const url = `http://${HOST}:PORT/`;
  const t = String(Math.max(1, Math.round(o.durationS)));
  for (const m of measures) {
    if (m === 'keepalive' || m === 'close')
      r.commands[m] = wrkArgv(url, {
        durationS: o.durationS,
        connections: o.connections,
        close: m === 'close',
      })
        .map((a) => (a.includes(' ') ? `'${a}'` : a))
        .join(' ');
    if (m === 'throughput')
      r.commands[m] = `iperf3 -c ${HOST} -p PORT -t ${t} -J  (server: iperf3 -s -p 5201)`;
    if (m === 'udp')
      r.commands[m] =
        `node --import tsx bench/clients/udp-load.ts PORT ${o.durationS} ${UDP_WINDOW} ${UDP_SIZE}  (echo: bench/servers/udp-echo.ts)`;
  }
}

/**
 * RSS per idle connection: a fresh proxy per path and round (so earlier traffic does not leave a grown heap
 * behind), idle connections opened through it to the hold backend.
 */
export async function runIdlePhase(
  ns: Netns,
  dir: string,
  opts: BenchOptions,
  r: BenchResult,
  log: Log,
): Promise<void> {
  const hold = await startHold(ns);
  r.commands.idle = `prlimit --nofile=20000:20000 node --import tsx bench/clients/idle-conns.ts PORT ${opts.idleConns}  (backend: bench/servers/tcp-hold.ts)`;
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      for (const p of opts.paths) {
        const s = seriesOf(r, 'idle', p);
        if (p === 'direct') {
          s.skipped = 'no proxy';
          continue;
        }
        const proxy = await startProxy(p, ns, dir, opts, [holdForward(p)]);
        if (!proxy.ok) {
          s.skipped = proxy.reason;
          continue;
        }
        try {
          const sample = await measureIdle(ns, PATH_PORTS[p].hold, opts.idleConns, proxy.proc, hold);
          s.samples.push(sample);
          log(`round ${round}/${opts.rounds} idle ${p}: ${formatNumber(sample.value)} MiB per 10k`);
        } catch (e) {
          const msg = `idle ${p} round ${round}: ${(e as Error).message.split('\n')[0]}`;
          r.notes.push(msg);
          log(`FAILED ${msg}`);
        } finally {
          await proxy.proc.stop();
        }
      }
    }
  } finally {
    await hold.stop();
  }
}
