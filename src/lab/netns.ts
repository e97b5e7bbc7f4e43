import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { type ExecRunner, netnsExec, spawnExec } from '../engines/nft/exec-runner.ts';

/**
 * Network namespaces on one bridge (moved here from test/system/support/netns.ts so the product's lab
 * can use them): unique names (prefix + pid), the bridge in a switch namespace, no default route out.
 * Every namespace and process made here is removed by destroy(), which callers run whatever happened;
 * processes are ended by their PID.
 */

/** Why the lab cannot run here (root, ip netns, nft, socat), or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the lab needs root (ip netns, nft)';
  for (const argv of [
    ['ip', '-V'],
    ['nft', '--version'],
    ['socat', '-V'],
  ]) {
    const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${argv[0]} is not available`;
  }
  const probe = `wfprobe${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  return add.status === 0 ? undefined : 'ip netns add failed (no network namespaces here)';
}

export class LabTopology {
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

  exec(host: string): ExecRunner {
    return host === '' ? spawnExec : netnsExec(this.ns(host));
  }

  /** Run a command in `host` ('' = this namespace), throwing on failure. */
  async run(host: string, argv: readonly string[], stdin?: string): Promise<string> {
    const r = await this.exec(host).run(argv, stdin);
    if (r.code !== 0) throw new Error(`${host || 'host'}: ${argv.join(' ')} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** The switch namespace with one bridge `lan` (multicast snooping off: broadcasts reach everyone). */
  async addSwitch(): Promise<void> {
    await this.#addNs('sw');
    await this.run('sw', ['ip', 'link', 'add', 'lan', 'type', 'bridge']);
    await this.run('sw', ['ip', 'link', 'set', 'lan', 'type', 'bridge', 'mcast_snooping', '0']);
    await this.run('sw', ['ip', 'link', 'set', 'lan', 'up']);
  }

  /** A host with eth0 on the bridge carrying `cidr`; lo up; no default route. */
  async addHost(host: string, cidr: string): Promise<void> {
    await this.#addNs(host);
    await this.run(host, ['ip', 'link', 'set', 'lo', 'up']);
    const peer = `p${++this.#port}`;
    const args = ['ip', 'link', 'add', 'eth0', 'netns', this.ns(host), 'type', 'veth', 'peer', 'name', peer];
    await this.run('', [...args, 'netns', this.ns('sw')]);
    await this.run('sw', ['ip', 'link', 'set', peer, 'master', 'lan', 'up']);
    await this.run(host, ['ip', 'addr', 'add', cidr, 'dev', 'eth0']);
    await this.run(host, ['ip', 'link', 'set', 'eth0', 'up']);
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

  /** SIGCONT then SIGKILL every process started here (by PID), then delete the namespaces. */
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

/** Resolve with the first stdout line of `child` that satisfies `pred`; bounded by `ms`. */
export function lineFrom(
  child: ChildProcessWithoutNullStreams,
  pred: (line: string) => boolean,
  what: string,
  ms = 5000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (f: () => void) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      f();
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`))),
      ms,
    );
    const onExit = (code: number | null) =>
      done(() => reject(new Error(`exited (${code}) waiting for ${what}`)));
    const onData = (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      const hit = lines.find(pred);
      if (hit !== undefined) done(() => resolve(hit));
    };
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Call `f` with each complete stdout line of `child`. */
export function onLines(child: ChildProcessWithoutNullStreams, f: (line: string) => void): void {
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) f(l);
  });
}
