import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { type ClusterFarm, type Node, VIP } from '../../test/system/support/cluster-farm.ts';

/**
 * The pieces both systems share in one ClusterFarm topology (client .10, dira .4 in namespace `a`, dirb .5
 * in `b`, real servers .2/.3 answering their name, VIP 192.0.2.240/24): the failure injected, the
 * restore, the steady-state checks. The failure is what the heartbeat-3.0.6 notes did for heartbeat and
 * keepalived alike: kill -9 every process in the director's namespace, then down its link.
 */
export const HOST: Record<Node, string> = { dira: 'a', dirb: 'b' };
export const VIP_PREFIX = 24;

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** PIDs of every process in the director's network namespace (`ip netns pids`). */
export function directorPids(farm: ClusterFarm, node: Node): Promise<number[]> {
  return hostPids(farm, HOST[node]);
}

/** PIDs of every process in one host's namespace of the topology. */
export async function hostPids(farm: ClusterFarm, host: string): Promise<number[]> {
  const out = await farm.topo.run('', ['ip', 'netns', 'pids', farm.topo.ns(host)]);
  return out
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** SIGKILL whatever runs in a host's namespace (the client's wrk on an interrupted run); all ours. */
export async function killHost(farm: ClusterFarm, host: string): Promise<void> {
  signalAll(await hostPids(farm, host), 'SIGKILL');
}

/**
 * The failure: every process of the director killed at once, then `ip link set eth0 down`. "At once":
 * each is first stopped (SIGSTOP, twice over the namespace's list so a process spawned meanwhile is caught
 * too), then SIGKILLed. Otherwise a child could see its parent die first and shut down gracefully —
 * keepalived's VRRP child gets SIGTERM from its parent's death (PR_SET_PDEATHSIG) and sends a priority-0
 * advert, a failover in milliseconds that no crash would give. All PIDs were started by this benchmark in
 * its own namespace. Returns the epoch ms taken just before the first signal.
 */
export async function failDirector(farm: ClusterFarm, node: Node): Promise<number> {
  const first = await directorPids(farm, node);
  const t0 = epochNow();
  signalAll(first, 'SIGSTOP');
  const pids = [...new Set([...first, ...(await directorPids(farm, node))])];
  signalAll(pids, 'SIGSTOP');
  signalAll(pids, 'SIGKILL');
  await farm.topo.run(HOST[node], ['ip', 'link', 'set', 'eth0', 'down']);
  return t0;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

/** Undo the link half of the failure: drop the stale VIP the killed processes left, then link up. */
export async function restoreLink(farm: ClusterFarm, node: Node): Promise<void> {
  await farm.topo.exec(HOST[node]).run(['ip', 'addr', 'del', `${VIP}/${VIP_PREFIX}`, 'dev', 'eth0']);
  await farm.topo.run(HOST[node], ['ip', 'link', 'set', 'eth0', 'up']);
}

/** Wait (bounded) until no process is left in the director's namespace. */
export async function waitEmpty(farm: ClusterFarm, node: Node, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await directorPids(farm, node)).length > 0) {
    if (Date.now() > deadline) throw new Error(`processes left in ${HOST[node]} after SIGKILL`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lines of a child's stdout and stderr, kept (last 400) for diagnostics and watched by `onLine`. */
export function watchLines(
  child: ChildProcessWithoutNullStreams,
  log: string[],
  onLine: (line: string) => void = () => {},
): void {
  const feed = (d: Buffer) => {
    for (const l of d.toString().split('\n')) {
      if (l === '') continue;
      log.push(l);
      onLine(l);
    }
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
}

export async function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

/** SIGKILL every process left in the director's namespace (all started by this benchmark), bounded wait. */
export async function killAll(farm: ClusterFarm, node: Node): Promise<void> {
  const pids = await directorPids(farm, node);
  signalAll(pids, 'SIGSTOP');
  signalAll(pids, 'SIGKILL');
  await waitEmpty(farm, node);
}
