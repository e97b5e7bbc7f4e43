import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { type ExecRunner, netnsExec, spawnExec } from '../engines/nft/exec-runner.ts';

/**
 * Network-namespace topologies, the one module for the lab and the system tests (DESIGN §7): bridges in a
 * switch namespace `sw`, hosts with one veth per link into it, addresses only from the documentation
 * ranges, lo up, no default route out. Names are unique per run: `wf<tag><pid>-<host>` (the dash keeps
 * pid 12 from matching pid 123's namespaces). Every namespace and process made here is removed by
 * destroy(), which callers run whatever happened (a failed build included); processes are ended by PID.
 */

/** Why namespaces cannot be used here (root, ip netns, nft, and `tools` such as socat), or undefined. */
export function netnsUnavailable(tools: readonly string[] = []): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, nft)';
  for (const argv of [['ip', '-V'], ['nft', '--version'], ...tools.map((t) => [t, '-V'])]) {
    const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${argv[0]} is not available`;
  }
  const probe = `wfprobe${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  return add.status === 0 ? undefined : 'ip netns add failed (no network namespaces here)';
}

/** Why the lab cannot run here (it also needs socat for the serial cable), or undefined when it can. */
export function labUnavailable(): string | undefined {
  return netnsUnavailable(['socat']);
}

/** One interface of a host: `dev` in the host, its peer enslaved to `bridge` in the switch namespace. */
export interface Link {
  readonly bridge: string;
  readonly dev: string;
  /** CIDRs, e.g. 192.0.2.4/24; may be empty. */
  readonly addrs: readonly string[];
}

export class Topology {
  readonly prefix: string;
  readonly #namespaces: string[] = [];
  readonly #children = new Set<ChildProcessWithoutNullStreams>();
  #port = 0;

  /** `tag`: short, unique per caller (test file, the lab); part of every namespace name. */
  constructor(tag: string) {
    this.prefix = `wf${tag}${process.pid}-`;
  }

  ns(host: string): string {
    return `${this.prefix}${host}`;
  }

  get switchNs(): string {
    return this.ns('sw');
  }

  /** A runner for `host`'s namespace; '' = the namespace this process runs in. */
  exec(host: string): ExecRunner {
    return host === '' ? spawnExec : netnsExec(this.ns(host));
  }

  /** Run a command in `host` ('' = this namespace), throwing on failure. */
  async run(host: string, argv: readonly string[], stdin?: string): Promise<string> {
    const r = await this.exec(host).run(argv, stdin);
    if (r.code !== 0) throw new Error(`${host || 'host'}: ${argv.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** The switch namespace with these bridges (multicast snooping off: broadcasts reach every port). */
  async addSwitch(bridges: readonly string[]): Promise<void> {
    await this.#addNs('sw');
    for (const b of bridges) {
      await this.run('sw', ['ip', 'link', 'add', b, 'type', 'bridge']);
      await this.run('sw', ['ip', 'link', 'set', b, 'type', 'bridge', 'mcast_snooping', '0']);
      await this.run('sw', ['ip', 'link', 'set', b, 'up']);
    }
  }

  /** A host with one veth per link into the switch namespace; lo up; no default route. */
  async addHost(host: string, links: readonly Link[]): Promise<void> {
    await this.#addNs(host);
    await this.run(host, ['ip', 'link', 'set', 'lo', 'up']);
    for (const l of links) {
      const peer = `p${++this.#port}`;
      const veth = ['ip', 'link', 'add', l.dev, 'netns', this.ns(host), 'type', 'veth', 'peer', 'name', peer];
      await this.run('', [...veth, 'netns', this.switchNs]);
      await this.run('sw', ['ip', 'link', 'set', peer, 'master', l.bridge, 'up']);
      for (const a of l.addrs) await this.run(host, ['ip', 'addr', 'add', a, 'dev', l.dev]);
      await this.run(host, ['ip', 'link', 'set', l.dev, 'up']);
    }
  }

  /** The MAC address of `dev` in `host`. */
  async mac(host: string, dev: string): Promise<string> {
    const [link] = JSON.parse(await this.run(host, ['ip', '-j', 'link', 'show', 'dev', dev])) as Array<{
      address: string;
    }>;
    if (link === undefined) throw new Error(`${host}: no ${dev}`);
    return link.address;
  }

  /** Start a long-lived process in `host` ('sw' for the switch); ended by destroy(). */
  spawn(host: string, argv: readonly string[]): ChildProcessWithoutNullStreams {
    const child = spawn('ip', ['netns', 'exec', this.ns(host), ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#children.add(child);
    child.on('exit', () => this.#children.delete(child));
    child.stdin.on('error', () => {});
    return child;
  }

  /** Namespaces of this run that still exist (`ip netns list`). */
  leftNamespaces(): string[] {
    const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    return (r.stdout ?? '')
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n.startsWith(this.prefix));
  }

  /** PIDs of processes started here that are still alive. */
  liveChildren(): number[] {
    return [...this.#children]
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map((c) => c.pid ?? 0);
  }

  /** SIGCONT (a stopped one) then SIGKILL every process started here, by PID; then delete the namespaces. */
  async destroy(): Promise<void> {
    for (const c of [...this.#children]) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const exited = once(c, 'exit').catch(() => {});
      try {
        if (c.pid !== undefined) process.kill(c.pid, 'SIGCONT');
      } catch {}
      c.kill('SIGKILL');
      await exited;
    }
    for (const ns of [...this.#namespaces].reverse())
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    this.#namespaces.length = 0;
  }

  async #addNs(host: string): Promise<void> {
    await this.run('', ['ip', 'netns', 'add', this.ns(host)]);
    this.#namespaces.push(this.ns(host));
  }
}
