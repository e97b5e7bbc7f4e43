import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { MediumSpec } from '../../src/cluster/media/medium-spec.ts';
import type {
  Medium,
  MediumStatus,
  ReceiveListener,
  StatusListener,
} from '../../src/cluster/media/medium.ts';
import { mediumContract } from '../../src/cluster/media/testing/medium-contract.ts';

/**
 * The medium contract for UDP broadcast and multicast between two network namespaces joined by a veth pair
 * (192.0.2.1/24 and 192.0.2.2/24, documentation range, added WITHOUT a broadcast address: the bcast medium
 * must derive it). Each end runs cluster-media-peer.ts inside its namespace. Namespaces get unique names and
 * are deleted after every case; the whole file is skipped (with the reason) unless root can use `ip netns`.
 */

const PEER = new URL('./cluster-media-peer.ts', import.meta.url).pathname;
const PORT = 694;

function sh(args: readonly string[]): { ok: boolean; err: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: (r.stderr ?? '').trim() || String(r.error ?? '') };
}

function probeNetns(): string | false {
  if (process.getuid?.() !== 0) return 'needs root for ip netns';
  const name = `wfmprobe${process.pid}`;
  const r = sh(['netns', 'add', name]);
  if (!r.ok) return `ip netns does not work here: ${r.err}`;
  sh(['netns', 'del', name]);
  return false;
}

const skip = probeNetns();
let counter = 0;

/** Two namespaces with eth0 on each end of a veth pair; returns their names and a teardown. */
function topology(): { a: string; b: string; down: () => void } {
  const id = `${process.pid % 100000}x${counter++}`;
  const a = `wfm${id}a`;
  const b = `wfm${id}b`;
  const down = () => {
    sh(['netns', 'del', a]);
    sh(['netns', 'del', b]);
  };
  const steps: string[][] = [
    ['netns', 'add', a],
    ['netns', 'add', b],
    ['link', 'add', `wf${id}a`, 'type', 'veth', 'peer', 'name', `wf${id}b`],
    ['link', 'set', `wf${id}a`, 'netns', a],
    ['link', 'set', `wf${id}b`, 'netns', b],
    ['-n', a, 'link', 'set', `wf${id}a`, 'name', 'eth0'],
    ['-n', b, 'link', 'set', `wf${id}b`, 'name', 'eth0'],
    ['-n', a, 'addr', 'add', '192.0.2.1/24', 'dev', 'eth0'],
    ['-n', b, 'addr', 'add', '192.0.2.2/24', 'dev', 'eth0'],
    ['-n', a, 'link', 'set', 'eth0', 'up'],
    ['-n', b, 'link', 'set', 'eth0', 'up'],
    ['-n', a, 'link', 'set', 'lo', 'up'],
    ['-n', b, 'link', 'set', 'lo', 'up'],
  ];
  for (const s of steps) {
    const r = sh(s);
    if (!r.ok) {
      down();
      throw new Error(`ip ${s.join(' ')}: ${r.err}`);
    }
  }
  return { a, b, down };
}

/** A Medium whose real socket lives in a child process inside a namespace. */
class RemoteMedium implements Medium {
  readonly formats = 'any' as const;
  name = '';
  status: MediumStatus = 'up';
  readonly #child: ChildProcess;
  readonly #recv = new Set<ReceiveListener>();
  readonly #statusL = new Set<StatusListener>();
  readonly #waiters: { ev: string; resolve: (o: Record<string, unknown>) => void }[] = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => this.#event(JSON.parse(line)));
  }

  static async start(ns: string, spec: MediumSpec): Promise<RemoteMedium> {
    const child = spawn(
      'ip',
      ['netns', 'exec', ns, process.execPath, '--import', 'tsx', PEER, JSON.stringify(spec)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const m = new RemoteMedium(child);
    const ready = await m.#next('ready', `ready in ${ns}`);
    m.name = String(ready.name);
    return m;
  }

  send(bytes: Uint8Array): void {
    this.#write({ op: 'send', hex: Buffer.from(bytes).toString('hex') });
  }

  onReceive(l: ReceiveListener): () => void {
    this.#recv.add(l);
    return () => this.#recv.delete(l);
  }

  onStatus(l: StatusListener): () => void {
    this.#statusL.add(l);
    return () => this.#statusL.delete(l);
  }

  async close(): Promise<void> {
    if (this.status === 'closed') return;
    this.#write({ op: 'close' });
    await this.#next('closed', `${this.name} closed`);
    this.status = 'closed';
  }

  async portFree(port: number): Promise<string> {
    this.#write({ op: 'released', port });
    return String((await this.#next('released', 'port check')).result);
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((r) => this.#child.once('exit', r));
    this.#child.stdin?.end();
    const t = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }

  #write(o: object): void {
    if (this.#child.stdin?.writable) this.#child.stdin.write(`${JSON.stringify(o)}\n`);
  }

  #event(o: Record<string, unknown>): void {
    if (o.ev === 'recv' && this.status !== 'closed') {
      for (const l of this.#recv) l(new Uint8Array(Buffer.from(String(o.hex), 'hex')), String(o.from));
    }
    if (o.ev === 'status') for (const l of this.#statusL) l(o.status as MediumStatus, String(o.detail));
    const i = this.#waiters.findIndex((w) => w.ev === o.ev || o.ev === 'error');
    if (i >= 0) this.#waiters.splice(i, 1)[0]?.resolve(o);
  }

  #next(ev: string, what: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
      this.#waiters.push({
        ev,
        resolve: (o) => {
          clearTimeout(t);
          if (o.ev === 'error') reject(new Error(`${what}: ${String(o.message)}`));
          else resolve(o);
        },
      });
    });
  }
}

function remotePair(spec: MediumSpec) {
  return async () => {
    const net = topology();
    let a: RemoteMedium | undefined;
    let b: RemoteMedium | undefined;
    const dispose = async () => {
      await a?.stop();
      await b?.stop();
      net.down();
    };
    try {
      a = await RemoteMedium.start(net.a, spec);
      b = await RemoteMedium.start(net.b, spec);
    } catch (e) {
      await dispose();
      throw e;
    }
    const [ra, rb] = [a, b];
    return {
      a: ra,
      b: rb,
      assertReleased: async () => {
        assert.equal(await ra.portFree(PORT), 'ok', `port ${PORT} still held in ${net.a}`);
        assert.equal(await rb.portFree(PORT), 'ok', `port ${PORT} still held in ${net.b}`);
      },
      dispose,
    };
  };
}

mediumContract(
  'bcast eth0 (netns, broadcast address derived)',
  remotePair({ kind: 'bcast', device: 'eth0', port: PORT }),
  {
    skip,
  },
);

mediumContract(
  'mcast eth0 233.252.0.1 (netns)',
  remotePair({ kind: 'mcast', device: 'eth0', group: '233.252.0.1', port: PORT, ttl: 1, loop: false }),
  { skip },
);
