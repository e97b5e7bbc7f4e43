import type { BenchOptions, PathName, TrafficMeasure } from './args.ts';
import type { Started } from './exec.ts';
import type { Farm } from './farm.ts';
import { loadPoint } from './machine.ts';
import { measureHttp } from './measure-http.ts';
import { measureIdle } from './measure-idle.ts';
import { measureThroughput } from './measure-throughput.ts';
import { measureUdp, UDP_SIZE, UDP_WINDOW } from './measure-udp.ts';
import { type NftPath, startNftPath } from './nft-paths.ts';
import { startHold, startIperfServer, startNginx, startUdpEcho } from './peers.ts';
import { type ProxyStart, startProxy, udpUnsupported } from './proxies.ts';
import { formatNumber } from './report.ts';
import { type BenchResult, MEASURE_INFO, seriesOf } from './result.ts';
import type { Sample } from './sample.ts';
import {
  ADDR,
  DR_UDP_PORT,
  holdForward,
  NFT_PATHS,
  PATH_TARGETS,
  PROXY_PATHS,
  trafficForwards,
} from './topology.ts';
import { wrkArgv } from './wrk.ts';

export type Log = (line: string) => void;
const TRAFFIC: readonly TrafficMeasure[] = ['keepalive', 'close', 'throughput', 'udp'];

/** What one phase works with. */
export interface PhaseContext {
  readonly farm: Farm;
  /** Scratch directory for configs (removed by the caller). */
  readonly dir: string;
  readonly opts: BenchOptions;
  readonly r: BenchResult;
  readonly log: Log;
}

/**
 * Backends (real server) and proxies (director) up once; then each round runs every traffic measure over
 * every path in turn, so drift in machine load spreads over all paths. An nft path has its engine started
 * for its own sample only, so no other path runs through its rules (or the conntrack NAT turns on). A failed
 * sample is noted and the run goes on.
 */
export async function runTrafficPhase(ctx: PhaseContext): Promise<void> {
  const { farm, dir, opts, r, log } = ctx;
  const measures = TRAFFIC.filter((m) => opts.only.includes(m));
  if (measures.length === 0) return;
  const backends = await startBackends(ctx, measures);
  const proxies = new Map<PathName, ProxyStart>();
  for (const p of opts.paths)
    if (PROXY_PATHS.includes(p))
      proxies.set(p, await startProxy(p, farm.director, dir, opts, trafficForwards(p)));
  recordCommands(r, measures, opts);
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      r.loads?.push(loadPoint(`traffic round ${round}`));
      for (const m of measures) {
        for (const p of opts.paths) {
          const s = seriesOf(r, m, p);
          const why = skipReason(m, p, proxies.get(p));
          if (why) {
            s.skipped = why;
            continue;
          }
          try {
            const sample = await measureOnPath(ctx, m, p, cpuPidFor(m, p, proxies.get(p), backends));
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

/** One sample; an nft path's engine is up around it, and its errors fail the sample. */
async function measureOnPath(
  ctx: PhaseContext,
  m: TrafficMeasure,
  p: PathName,
  cpuPid: number | undefined,
): Promise<Sample> {
  if (!NFT_PATHS.includes(p)) return measureOne(ctx, m, p, cpuPid);
  let nft: NftPath | undefined;
  try {
    nft = await startNftPath(p, ctx.farm.directorExec);
    const sample = await measureOne(ctx, m, p, cpuPid);
    if (nft.errors.length) throw new Error(`nft engine: ${nft.errors.join('; ')}`);
    return sample;
  } finally {
    await nft?.stop();
  }
}

interface Backends {
  nginx?: Started;
  iperf?: Started;
  udp?: Started;
  udpDr?: Started;
}

async function startBackends(ctx: PhaseContext, measures: readonly TrafficMeasure[]): Promise<Backends> {
  const real = ctx.farm.real;
  const b: Backends = {};
  if (measures.includes('keepalive') || measures.includes('close')) b.nginx = await startNginx(real, ctx.dir);
  if (measures.includes('throughput')) b.iperf = await startIperfServer(real);
  if (measures.includes('udp')) {
    b.udp = await startUdpEcho(real);
    if (ctx.opts.paths.includes('nft-dr')) b.udpDr = await startUdpEcho(real, DR_UDP_PORT, ADDR.drVip);
  }
  return b;
}

function skipReason(m: TrafficMeasure, p: PathName, proxy: ProxyStart | undefined): string | undefined {
  if (m === 'udp' && PATH_TARGETS[p].udp === undefined) return udpUnsupported(p);
  if (proxy && !proxy.ok) return proxy.reason;
  return undefined;
}

/**
 * Whose CPU to charge: the proxy; for direct, the backend that does the work (nginx, echo server). Routed
 * and nft paths work in the kernel (softirq), which no process is charged for: none.
 */
function cpuPidFor(
  m: TrafficMeasure,
  p: PathName,
  proxy: ProxyStart | undefined,
  b: Backends,
): number | undefined {
  if (proxy) return proxy.ok ? proxy.proc.pid : undefined;
  if (p !== 'direct') return undefined;
  if (m === 'keepalive' || m === 'close') return b.nginx?.pid;
  if (m === 'udp') return b.udp?.pid;
  return undefined;
}

function measureOne(
  ctx: PhaseContext,
  m: TrafficMeasure,
  p: PathName,
  cpuPid: number | undefined,
): Promise<Sample> {
  const { farm, opts: o } = ctx;
  const t = PATH_TARGETS[p];
  switch (m) {
    case 'keepalive':
    case 'close':
      return measureHttp(
        farm.client,
        t.http,
        { durationS: o.durationS, connections: o.connections, close: m === 'close' },
        cpuPid,
      );
    case 'throughput':
      return measureThroughput(farm.client, t.iperf, o.durationS, cpuPid);
    case 'udp':
      if (!t.udp) throw new Error(`${p} has no UDP target`);
      return measureUdp(farm.client, t.udp, o.durationS, cpuPid);
    case 'idle':
      throw new Error('idle is measured in its own phase');
  }
}

function describe(m: TrafficMeasure, s: Sample): string {
  const info = MEASURE_INFO[m];
  const cpu = s.cpu === undefined ? '' : `, ${formatNumber(s.cpu)} ${info.cpuUnit}`;
  const p99 = s.p99Ms === undefined ? '' : `, p99 ${formatNumber(s.p99Ms)} ms`;
  const err = s.errors ? `, ${s.errors} errors` : '';
  return `${formatNumber(s.value)} ${info.unit}${p99}${cpu}${err}`;
}

function recordCommands(r: BenchResult, measures: readonly TrafficMeasure[], o: BenchOptions): void {
  const url = 'http://TARGET/';
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
    if (m === 'throughput') r.commands[m] = `iperf3 -c HOST -p PORT -t ${t} -J  (server: iperf3 -s -p 5201)`;
    if (m === 'udp')
      r.commands[m] =
        `node --import tsx bench/clients/udp-load.ts HOST PORT ${o.durationS} ${UDP_WINDOW} ${UDP_SIZE}  (echo: bench/servers/udp-echo.ts)`;
  }
}

/** Why a path has no idle-connection RSS figure, or undefined when it has one (the proxies). */
function idleSkip(p: PathName): string | undefined {
  if (p === 'direct' || p === 'routed') return 'no proxy';
  if (NFT_PATHS.includes(p)) return 'kernel path, no process; conntrack memory not measured';
  return undefined;
}

/**
 * RSS per idle connection: a fresh proxy per path and round (so earlier traffic does not leave a grown heap
 * behind), idle connections opened through it from the client to the hold backend.
 */
export async function runIdlePhase(ctx: PhaseContext): Promise<void> {
  const { farm, dir, opts, r, log } = ctx;
  const hold = await startHold(farm.real);
  r.commands.idle = `prlimit --nofile=20000:20000 node --import tsx bench/clients/idle-conns.ts HOST PORT ${opts.idleConns}  (backend: bench/servers/tcp-hold.ts)`;
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      r.loads?.push(loadPoint(`idle round ${round}`));
      for (const p of opts.paths) {
        const s = seriesOf(r, 'idle', p);
        const skip = idleSkip(p);
        if (skip) {
          s.skipped = skip;
          continue;
        }
        const fwd = holdForward(p);
        const proxy = await startProxy(p, farm.director, dir, opts, [fwd]);
        if (!proxy.ok) {
          s.skipped = proxy.reason;
          continue;
        }
        try {
          const target = { host: fwd.listenHost, port: fwd.listen };
          const sample = await measureIdle(farm.client, target, opts.idleConns, proxy.proc, hold);
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
