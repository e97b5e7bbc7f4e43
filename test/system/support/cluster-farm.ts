import { type ChildProcessWithoutNullStreams, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { adminRequest } from '../../../src/admin/client.ts';
import type { ClusterDoc } from '../../../src/admin/routes/cluster.ts';
import { startNullModem } from '../../../src/lab/null-modem.ts';
import { lineFrom, netnsUnavailable, Topology } from './netns.ts';

/**
 * Two real `webfarm run -c` directors in network namespaces (DESIGN.md §7 system tier), for the failover
 * tests: a bridge with a client (192.0.2.10), directors dira (.4) and dirb (.5), real servers r1 (.2) and
 * r2 (.3) answering HTTP with their name; the floating address 192.0.2.240 serving VIP:80 through the
 * proxy engine. With `engine: 'nft-dr'` instead: the nft engine in direct routing, scheduler mh, over three
 * real servers r1 (.2), r2 (.3), r3 (.6) holding the VIP on lo (`webfarm realserver up --vip`) and
 * answering TCP on port 80 with a greeting ("NAME CLIENTADDR") then an echo (peer.mjs `server`).
 * Heartbeats over UDP broadcast and/or a serial line (a socat pty pair). No default route;
 * unique names (prefix + pid); everything made here is removed by destroy(), which tests call in after()
 * whatever happened; processes are killed by their PID.
 */

export const VIP = '192.0.2.240';
export const NODES = ['dira', 'dirb'] as const;
export type Node = (typeof NODES)[number];
const HOST: Record<Node, string> = { dira: 'a', dirb: 'b' };
const ADDR: Record<Node, string> = { dira: '192.0.2.4', dirb: '192.0.2.5' };
export const KEY = 'failover-test-key-0123456789';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const WEBFARM = join(ROOT, 'bin', 'webfarm.js');
export const CLUSTER_PEER = fileURLToPath(new URL('./cluster-peer.mjs', import.meta.url));

export type MediumKind = 'bcast' | 'serial';

export interface ClusterFarmOptions {
  /** Short, unique per test file: part of every namespace name. */
  readonly tag: string;
  readonly media: readonly MediumKind[];
  readonly autoFailback: boolean;
  /** `proxy` (default): two HTTP real servers, rr. `nft-dr`: the nft engine, DR + mh, three real servers. */
  readonly engine?: 'proxy' | 'nft-dr';
}

/** The real servers of each engine setup: namespace host name and address. */
const REALS = {
  proxy: [
    ['r1', '192.0.2.2'],
    ['r2', '192.0.2.3'],
  ],
  'nft-dr': [
    ['r1', '192.0.2.2'],
    ['r2', '192.0.2.3'],
    ['r3', '192.0.2.6'],
  ],
} as const;

/** `mh_table_size` of the nft-dr setup: small, so the slot maps list quickly; equal on both directors. */
export const MH_TABLE_SIZE = 251;

/** Why the failover tests cannot run here, or undefined. */
export function clusterFarmUnavailable(): string | undefined {
  const base = netnsUnavailable();
  if (base !== undefined) return base;
  for (const argv of [
    ['arping', '-V'],
    ['socat', '-V'],
  ]) {
    const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${argv[0]} is not installed`;
  }
  return undefined;
}

/** Poll `probe` (every 50 ms) until `ok` holds of its value; throws after `ms` with the last value seen. */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  ok: (v: T) => boolean,
  what: string,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      last = await probe();
      error = undefined;
      if (ok(last)) return last;
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) {
      const seen = error === undefined ? JSON.stringify(last) : `error ${(error as Error).message}`;
      throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class ClusterFarm {
  readonly topo: Topology;
  readonly dir: string;
  readonly o: ClusterFarmOptions;
  readonly #directors = new Map<Node, ChildProcessWithoutNullStreams>();
  readonly #logs = new Map<Node, string[]>();
  #socat: ChildProcessWithoutNullStreams | undefined;

  constructor(o: ClusterFarmOptions) {
    this.o = o;
    this.topo = new Topology(o.tag);
    this.dir = mkdtempSync(join(tmpdir(), `wf-${o.tag}-`));
  }

  tty(node: Node): string {
    return join(this.dir, `tty-${node}`);
  }

  get keyFile(): string {
    return join(this.dir, 'cluster.key');
  }

  socket(node: Node): string {
    return join(this.dir, `${node}.sock`);
  }

  /** Namespaces, bridge, real servers, key file, serial cable (when asked for) and both configs. */
  async setup(): Promise<void> {
    await this.topo.addSwitch(['lan']);
    const link = (addr: string) => [{ bridge: 'lan', dev: 'eth0', addrs: [`${addr}/24`] }];
    await this.topo.addHost('c', link('192.0.2.10'));
    for (const n of NODES) await this.topo.addHost(HOST[n], link(ADDR[n]));
    for (const [host, addr] of REALS[this.#engine]) {
      await this.topo.addHost(host, link(addr));
      if (this.#engine === 'nft-dr') {
        // A DR real server: the VIP on lo, ARP kept off it; greets with its name and echoes.
        await this.topo.run(host, [process.execPath, WEBFARM, 'realserver', 'up', '--vip', VIP]);
        await this.topo.startServer(host, host, 80, 53, VIP);
        continue;
      }
      const child = this.topo.spawn(host, [process.execPath, CLUSTER_PEER, 'http', host, '80']);
      await lineFrom(child, (l) => l === 'ready', `${host} HTTP server`);
    }
    writeFileSync(this.keyFile, `${KEY}\n`, { mode: 0o600 });
    chmodSync(this.keyFile, 0o600);
    if (this.o.media.includes('serial')) await this.#startCable();
    for (const n of NODES) writeFileSync(this.#configPath(n), this.config(n));
  }

  /** The native config of one director (docs/config.md): one service on VIP:80, one group. */
  config(node: Node): string {
    const media = this.o.media.map((m) =>
      m === 'bcast'
        ? '    - { type: bcast, device: eth0 }'
        : `    - { type: serial, device: ${this.tty(node)}, baud: 115200 }`,
    );
    return [
      'admin:',
      `  socket: ${this.socket(node)}`,
      '  state_file: false',
      ...(this.#engine === 'nft-dr' ? this.#nftDrServices() : this.#proxyServices()),
      'cluster:',
      `  node: ${node}`,
      `  nodes: [${NODES.join(', ')}]`,
      '  media:',
      ...media,
      `  auth: { method: sha256, key_file: ${this.keyFile} }`,
      `  auto_failback: ${this.o.autoFailback}`,
      `  generation_file: ${join(this.dir, `generation-${node}`)}`,
      '  resource_groups:',
      '    - preferred: dira',
      '      resources:',
      ...this.#resources(),
      '',
    ].join('\n');
  }

  /**
   * The group's resources, in start order. The proxy engine binds the VIP, so the address comes first;
   * the nft engine in direct routing wants its rules in force before the address arrives and until it has
   * gone (docs/cluster.md "Services follow the group"), so `services` comes first.
   */
  #resources(): string[] {
    const ipaddr = `        - ipaddr: { address: ${VIP}, prefix: 24, device: eth0 }`;
    const services = '        - services: true';
    return this.#engine === 'nft-dr' ? [services, ipaddr] : [ipaddr, services];
  }

  #proxyServices(): string[] {
    return [
      'services:',
      `  - address: ${VIP}`,
      '    port: 80',
      '    scheduler: rr',
      '    connect: { timeout: 1s, retries: 1 }',
      '    real_servers: [192.0.2.2:80, 192.0.2.3:80]',
    ];
  }

  /** The kernel engine in direct routing: counters read every 200 ms so tests see them move soon. */
  #nftDrServices(): string[] {
    return [
      'engine: nft',
      `nft: { device: eth0, mh_table_size: ${MH_TABLE_SIZE}, stats_interval: 200ms }`,
      'services:',
      `  - address: ${VIP}`,
      '    port: 80',
      '    scheduler: mh',
      '    real_servers:',
      ...REALS['nft-dr'].map(([, addr]) => `      - { address: ${addr}, forward: route }`),
    ];
  }

  get #engine(): 'proxy' | 'nft-dr' {
    return this.o.engine ?? 'proxy';
  }

  /** The namespace (Topology host name) of a director. */
  host(node: Node): string {
    return HOST[node];
  }

  #configPath(node: Node): string {
    return join(this.dir, `${node}.yaml`);
  }

  /** Start `webfarm run -c` in the director's namespace; resolves once it has started (cluster included). */
  async start(node: Node): Promise<void> {
    const child = this.topo.spawn(HOST[node], [
      process.execPath,
      WEBFARM,
      'run',
      '-c',
      this.#configPath(node),
    ]);
    this.#directors.set(node, child);
    const log: string[] = [];
    this.#logs.set(node, log);
    child.stderr.on('data', (d: Buffer) => {
      log.push(...d.toString().split('\n').filter(Boolean));
      if (log.length > 400) log.splice(0, log.length - 400);
    });
    await lineFrom(child, (l) => l.includes('press Ctrl-C'), `${node} to start`, 20_000);
  }

  /** kill -9 (or another signal) the director's process, by its PID; resolves when it has exited. */
  async kill(node: Node, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#directors.get(node);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid as number, signal);
    await exited;
  }

  cluster(node: Node): Promise<ClusterDoc> {
    return adminRequest(this.socket(node), 'GET', '/v1/cluster') as Promise<ClusterDoc>;
  }

  /** The directors whose eth0 carries the VIP right now (`ip -j addr`). */
  async holders(): Promise<Node[]> {
    const out: Node[] = [];
    for (const n of NODES) {
      const links = JSON.parse(
        await this.topo.run(HOST[n], ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']),
      ) as { addr_info: { local: string }[] }[];
      if ((links[0]?.addr_info ?? []).some((a) => a.local === VIP)) out.push(n);
    }
    return out;
  }

  /** One HTTP GET from the client to the VIP: the real server's name, or `error: …`. */
  async get(): Promise<string> {
    const out = await this.topo.run('c', [process.execPath, CLUSTER_PEER, 'get', `http://${VIP}/`, '1500']);
    return out.trim();
  }

  /** The client's neighbour entry for the VIP (its MAC), or undefined. */
  async clientNeighbour(): Promise<string | undefined> {
    const text = await this.topo.run('c', ['ip', '-j', 'neigh', 'show', VIP]);
    const entries = JSON.parse(text.trim() || '[]') as { lladdr?: string }[];
    return entries[0]?.lladdr;
  }

  mac(node: Node): Promise<string> {
    return this.topo.mac(HOST[node], 'eth0');
  }

  /** Drop heartbeat UDP (port 694) in and out of the director's namespace (nft), or restore it. */
  async cutUdp(node: Node, cut: boolean): Promise<void> {
    if (cut) {
      await this.topo.run(
        HOST[node],
        ['nft', '-f', '-'],
        [
          'table inet wfcut {',
          '  chain in { type filter hook input priority 0; udp dport 694 drop; }',
          '  chain out { type filter hook output priority 0; udp dport 694 drop; }',
          '}',
        ].join('\n'),
      );
    } else await this.topo.run(HOST[node], ['nft', 'delete', 'table', 'inet', 'wfcut']);
  }

  /** Stop (SIGSTOP) or resume (SIGCONT) the socat process that is the serial cable. */
  cutSerial(cut: boolean): void {
    const pid = this.#socat?.pid;
    if (pid === undefined) throw new Error('no serial cable');
    process.kill(pid, cut ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Run a webfarm CLI command against a director's socket (from the host namespace). */
  cli(node: Node, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [WEBFARM, ...args, '-s', this.socket(node)], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** The directors' last log lines, for a failing test's message. */
  diagnostics(): string {
    return NODES.map((n) => `--- ${n}\n${(this.#logs.get(n) ?? []).slice(-60).join('\n')}`).join('\n');
  }

  async destroy(): Promise<void> {
    if (this.#socat?.pid !== undefined && this.#socat.exitCode === null) {
      try {
        process.kill(this.#socat.pid, 'SIGCONT');
      } catch {}
    }
    await this.topo.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #startCable(): Promise<void> {
    this.#socat = await startNullModem(this.topo, 'sw', this.tty('dira'), this.tty('dirb'));
  }
}

/** Run `body`; on failure, add the directors' logs to the error. */
export async function withDiagnostics(farm: ClusterFarm, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof Error) e.message = `${e.message}\n${farm.diagnostics()}`;
    throw e;
  }
}

/** A client request's body came from one of the farm's real servers. */
export const isRealName = (body: string): boolean => body === 'r1' || body === 'r2';

/**
 * A describe block around one two-director farm: skipped (with the reason on stdout, for `file`) where the
 * farm cannot run; the farm set up and both directors started before the first test, destroyed after the
 * last whatever happened. `body` declares the tests.
 */
export function describeFarm(
  file: string,
  title: string,
  options: ClusterFarmOptions,
  body: (farm: ClusterFarm) => void,
): void {
  const skip = clusterFarmUnavailable();
  if (skip !== undefined) process.stdout.write(`# ${file} system test skipped: ${skip}\n`);
  describe(title, { skip }, () => {
    const farm = new ClusterFarm(options);
    before(async () => {
      await farm.setup();
      await Promise.all([farm.start('dira'), farm.start('dirb')]);
    });
    after(async () => {
      await farm.destroy();
    });
    body(farm);
  });
}

/** The client's requests through the VIP succeed and its neighbour entry for the VIP holds `node`'s MAC. */
export async function expectServedBy(farm: ClusterFarm, node: Node): Promise<void> {
  await waitFor(() => farm.get(), isRealName, `a client request through ${node}`);
  const mac = await farm.mac(node);
  await waitFor(
    () => farm.clientNeighbour(),
    (m) => m === mac,
    `the client's entry on ${node}'s MAC`,
  );
}
