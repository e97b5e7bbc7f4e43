import { runOk } from './exec.ts';

/**
 * A single private network namespace (bench/scratch experiments on loopback; `npm run bench` itself runs
 * in the three-host farm of bench/farm.ts) (reference/ecosystem.md §8): loopback up, TIME_WAIT
 * capped at 2000 buckets and a wide ephemeral port range, so connection-per-request runs measure the proxy
 * and not port exhaustion. Nothing in it can reach outside: it has only `lo`.
 */
export interface NsExec {
  readonly name: string;
  /** argv prefix that runs a command inside the namespace (optionally with a raised fd limit). */
  exec(argv: readonly string[], opts?: { nofile?: number }): string[];
}

export interface Netns extends NsExec {
  delete(): Promise<void>;
}

/** Commands into an existing namespace `name` (the farm's hosts, bench/farm.ts). */
export function nsExec(name: string): NsExec {
  return {
    name,
    exec: (argv, opts) => [
      'ip',
      'netns',
      'exec',
      name,
      ...(opts?.nofile ? ['prlimit', `--nofile=${opts.nofile}:${opts.nofile}`] : []),
      ...argv,
    ],
  };
}

export const NETNS_SYSCTLS = ['net.ipv4.tcp_max_tw_buckets=2000', 'net.ipv4.ip_local_port_range=10000 65000'];

export function netnsName(pid: number = process.pid): string {
  return `wfbench-${pid}`;
}

/** Create and configure the namespace; on any failure it is deleted again and the error rethrown. */
export async function createNetns(name: string = netnsName()): Promise<Netns> {
  await runOk(['ip', 'netns', 'add', name]);
  let deleted = false;
  const ns: Netns = {
    ...nsExec(name),
    delete: async () => {
      if (deleted) return;
      deleted = true;
      await runOk(['ip', 'netns', 'delete', name], 10_000, true);
    },
  };
  try {
    await runOk(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
    await runOk(ns.exec(['sysctl', '-qw', ...NETNS_SYSCTLS]));
  } catch (e) {
    await ns.delete().catch(() => {});
    throw e;
  }
  return ns;
}

/** Listening sockets in the namespace: `tcp:PORT` / `udp:PORT` for every bound port. */
export async function listeningPorts(ns: NsExec): Promise<Set<string>> {
  const out = await runOk(ns.exec(['ss', '-Hlntu']));
  const ports = new Set<string>();
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    const local = f[4];
    if (!local) continue;
    ports.add(`${f[0]}:${local.slice(local.lastIndexOf(':') + 1)}`);
  }
  return ports;
}

/** Wait until every `tcp:PORT` / `udp:PORT` listed is bound in the namespace (polled, bounded). */
export async function waitListening(ns: NsExec, wanted: readonly string[], ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const have = await listeningPorts(ns);
    const missing = wanted.filter((w) => !have.has(w));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`not listening after ${ms} ms: ${missing.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
