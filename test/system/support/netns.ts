import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type ExecRunner, netnsExec, spawnExec } from '../../../src/engines/nft/exec-runner.ts';
import { lineFrom } from '../../../src/lab/netns.ts';

/** The lab's line reader (it also rejects when the child exits first). */
export { lineFrom };

/**
 * Network-namespace topologies for system tests (DESIGN §7): unique names per run (prefix + pid), bridges
 * inside a switch namespace, addresses only from the documentation ranges, no default route out. Every
 * namespace and process made here is removed by `destroy()`, which tests call in after() whatever happened.
 */

export const PEER = fileURLToPath(new URL('./peer.mjs', import.meta.url));

/** Why system tests cannot run here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'system tests need root (ip netns, nft)';
  for (const bin of [
    ['ip', '-V'],
    ['nft', '--version'],
  ]) {
    const r = spawnSync(bin[0] as string, bin.slice(1), { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${bin[0]} is not available`;
  }
  const probe = `wfprobe${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  return add.status === 0 ? undefined : 'ip netns add failed (no network namespaces here)';
}

export interface Link {
  readonly bridge: string;
  readonly dev: string;
  readonly addrs: readonly string[];
}

export class Topology {
  readonly prefix: string;
  readonly #namespaces: string[] = [];
  readonly #children = new Set<ChildProcessWithoutNullStreams>();
  #port = 0;

  constructor(tag: string) {
    this.prefix = `wf${tag}${process.pid}`;
  }

  ns(host: string): string {
    return `${this.prefix}${host}`;
  }

  get switchNs(): string {
    return this.ns('sw');
  }

  exec(host: string): ExecRunner {
    return netnsExec(this.ns(host));
  }

  /** Run a command in `host` (or the host namespace with ''), throwing on failure. */
  async run(host: string, argv: readonly string[], stdin?: string): Promise<string> {
    const r = await (host === '' ? spawnExec : this.exec(host)).run(argv, stdin);
    if (r.code !== 0) throw new Error(`${host}: ${argv.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

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
      await this.run('', [
        'ip',
        'link',
        'add',
        l.dev,
        'netns',
        this.ns(host),
        'type',
        'veth',
        'peer',
        'name',
        peer,
        'netns',
        this.switchNs,
      ]);
      await this.run('sw', ['ip', 'link', 'set', peer, 'master', l.bridge, 'up']);
      for (const a of l.addrs) await this.run(host, ['ip', 'addr', 'add', a, 'dev', l.dev]);
      await this.run(host, ['ip', 'link', 'set', l.dev, 'up']);
    }
  }

  async mac(host: string, dev: string): Promise<string> {
    const [link] = JSON.parse(await this.run(host, ['ip', '-j', 'link', 'show', 'dev', dev])) as Array<{
      address: string;
    }>;
    return (link as { address: string }).address;
  }

  /** Start a long-lived process in `host`; killed by destroy(). */
  spawn(host: string, argv: readonly string[]): ChildProcessWithoutNullStreams {
    const child = spawn('ip', ['netns', 'exec', this.ns(host), ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#children.add(child);
    child.on('exit', () => this.#children.delete(child));
    return child;
  }

  /** A peer server answering with its name (TCP greet+echo on tcpPort, UDP on udpBind:udpPort); resolves when listening. */
  async startServer(
    host: string,
    name: string,
    tcpPort: number,
    udpPort: number,
    udpBind: string,
  ): Promise<void> {
    const child = this.spawn(host, ['node', PEER, 'server', name, String(tcpPort), String(udpPort), udpBind]);
    await lineFrom(child, (l) => l === 'ready', `${name} listening`);
  }

  /** Run a one-shot peer client in `host`; its JSON output. */
  async client(
    host: string,
    mode: 'tcp' | 'udp',
    addr: string,
    port: number,
    count: number,
  ): Promise<string[]> {
    const out = await this.run(host, ['node', PEER, mode, addr, String(port), String(count)]);
    return JSON.parse(out) as string[];
  }

  async destroy(): Promise<void> {
    for (const c of [...this.#children]) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await once(c, 'exit').catch(() => {});
      }
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

/** How many times each server name answered. */
export function tally(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const name = l.split(' ')[0] as string;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}
