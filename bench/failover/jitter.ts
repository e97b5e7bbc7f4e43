import { fileURLToPath } from 'node:url';
import { cpuSeconds } from '../proc-stats.ts';
import { type ClusterFarm, VIP } from '../../test/system/support/cluster-farm.ts';
import { lineFrom } from '../../test/system/support/netns.ts';
import { directorPids } from './director.ts';
import type { JitterResult } from './render.ts';
import { distribution, gaps } from './summary.ts';

const PROBE = fileURLToPath(new URL('./probe.mjs', import.meta.url));
const DIRA = '192.0.2.4';
const HEARTBEAT_PORT = 694;

/**
 * Heartbeat inter-arrival gaps of dira's broadcasts as they reach dirb's namespace (a separate capture
 * socket on port 694 there, probe.mjs gaps), for `seconds` idle, then for `seconds` while wrk drives
 * the proxy engine on dira through the VIP as fast as it goes. Needs webfarm's cluster steady (dira active).
 */
export async function measureJitter(
  farm: ClusterFarm,
  seconds: number,
  connections: number,
): Promise<JitterResult> {
  const keepaliveMs = (await farm.cluster('dirb')).timing.keepaliveMs;
  const idle = await capture(farm, seconds);
  const pids = await directorPids(farm, 'dira');
  const cpu0 = cpuOf(pids);
  const t0 = performance.now();
  const wrk = farm.topo.run('c', [
    'wrk',
    '-t2',
    `-c${connections}`,
    `-d${Math.ceil(seconds + 2)}s`,
    '--timeout',
    '2s',
    `http://${VIP}/`,
  ]);
  const loaded = await capture(farm, seconds);
  const cpuPct = ((cpuOf(pids) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
  const out = await wrk;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  return {
    keepaliveMs,
    idle: distribution(gaps(idle)),
    loaded: distribution(gaps(loaded)),
    wrkRps: rps === undefined ? undefined : Number(rps),
    directorCpuPct: Number.isFinite(cpuPct) ? cpuPct : undefined,
  };
}

async function capture(farm: ClusterFarm, seconds: number): Promise<number[]> {
  const child = farm.topo.spawn('b', [
    process.execPath,
    PROBE,
    'gaps',
    String(HEARTBEAT_PORT),
    DIRA,
    String(seconds),
  ]);
  await lineFrom(child, (l) => l === 'ready', 'the heartbeat capture');
  const line = await lineFrom(
    child,
    (l) => l.startsWith('{'),
    'the heartbeat capture',
    seconds * 1000 + 5000,
  );
  return (JSON.parse(line) as { arrivals: number[] }).arrivals;
}

function cpuOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {}
  }
  return total;
}
