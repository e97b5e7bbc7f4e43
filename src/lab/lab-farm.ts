import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminRequest } from '../admin/client.ts';
import { brokenConfig, prepareDirectorConfig } from './director-config.ts';
import { lineFrom } from './child-lines.ts';
import { Topology } from './netns.ts';
import { startNullModem } from './null-modem.ts';
import type { DirectorHost, RealHost, Scenario } from './scenario-schema.ts';
import { WebServers } from './web-servers.ts';

/**
 * The effects side of the lab: builds a scenario's hosts in namespaces, runs what each host runs
 * (webfarm directors, built-in web servers, clients, the serial cable) and offers the primitive faults.
 * Every process is started through Topology (netns.ts) and ended by PID in destroy().
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEBFARM = join(ROOT, 'bin', 'webfarm.js');
/** The nft table (in direct-routing real servers) counting client connections per forwarding director. */
const VIA_TABLE = 'wflabvia';

export class LabFarm {
  readonly topo: Topology;
  readonly dir: string;
  readonly web: WebServers;
  readonly #s: Scenario;
  readonly #base: string;
  readonly #directors = new Map<string, { child: ChildProcessWithoutNullStreams; started: boolean }>();
  readonly #configs = new Map<string, { path: string; text: string; socket: string }>();
  readonly #logs = new Map<string, string[]>();
  #socat: ChildProcessWithoutNullStreams | undefined;
  #viaReals: string[] = [];

  /** `file` locates relative paths (director configs, `files`). */
  constructor(scenario: Scenario, file: string) {
    this.#s = scenario;
    this.#base = dirname(resolve(file));
    this.topo = new Topology('lab');
    this.web = new WebServers(this.topo);
    this.dir = mkdtempSync(join(tmpdir(), 'wf-lab-'));
  }

  get directors(): string[] {
    return this.#s.hosts.filter((h) => h.role === 'director').map((h) => h.name);
  }

  get reals(): string[] {
    return this.#s.hosts.filter((h) => h.role === 'real' && this.web.has(h.name)).map((h) => h.name);
  }

  /** Namespaces, addresses, web servers, the cable, the files and the director configs. */
  async build(): Promise<void> {
    await this.topo.addSwitch(['lan']);
    for (const h of this.#s.hosts)
      await this.topo.addHost(h.name, [{ bridge: 'lan', dev: 'eth0', addrs: [`${h.address}/24`] }]);
    for (const [name, path] of Object.entries(this.#s.files)) {
      const to = join(this.dir, name);
      copyFileSync(resolve(this.#base, path), to);
      chmodSync(to, 0o600);
    }
    for (const h of this.#s.hosts) {
      if (h.role === 'real') await this.#real(h);
      if (h.role !== 'client')
        await this.web.add(
          h.name,
          h.http.map((w) => ({ ...w, body: w.body ?? h.name })),
        );
      if (h.role === 'director') this.#writeConfig(h);
    }
    if (this.#s.serial) await this.#startCable(this.#s.serial);
    await this.#watchVia();
  }

  /** Start `webfarm run -c` on a director; resolves once it says it runs. */
  async startDirector(name: string, ms: number): Promise<void> {
    const cfg = this.#configs.get(name);
    if (!cfg) throw new Error(`${name} is not a director`);
    const child = this.topo.spawn(name, [process.execPath, WEBFARM, 'run', '-c', cfg.path]);
    const director = { child, started: false };
    this.#directors.set(name, director);
    const log = this.#logs.get(name) ?? [];
    this.#logs.set(name, log);
    child.stderr.on('data', (d: Buffer) => {
      log.push(...d.toString().split('\n').filter(Boolean));
      if (log.length > 500) log.splice(0, log.length - 500);
    });
    await lineFrom(child, (l) => l.includes('press Ctrl-C'), `${name} to start`, ms);
    director.started = true;
  }

  /** Send `signal` to a director by PID; for SIGKILL/SIGTERM resolve when it has exited. */
  async signalDirector(name: string, signal: NodeJS.Signals): Promise<void> {
    const child = this.#directors.get(name)?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} is not running`);
    const exited = once(child, 'exit');
    process.kill(child.pid as number, signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') await exited;
  }

  /**
   * Which directors hold `vip` on eth0 right now (`ip -j addr` in each namespace), split in two:
   * `owners`, whose `webfarm run` has started and still runs (a SIGSTOPped one included), and `stale`, the
   * rest. A director killed with SIGKILL leaves its address configured (as heartbeat did); started again,
   * it keeps it until `webfarm run` releases it during its start (before it says it runs), so the length
   * of that window is the node's start-up time, not a decision of the director: such an address is stale
   * until the director has started. Once started, a director still holding it is an owner.
   */
  async owners(vip: string): Promise<{ owners: string[]; stale: string[] }> {
    const up = new Set(
      [...this.#directors]
        .filter(([, d]) => d.started && d.child.exitCode === null && d.child.signalCode === null)
        .map(([n]) => n),
    );
    const held = await Promise.all(
      this.directors.map(async (d) => {
        const r = await this.topo
          .exec('')
          .run(['ip', '-n', this.topo.ns(d), '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
        const links = JSON.parse(r.stdout || '[]') as { addr_info?: { local: string }[] }[];
        return (links[0]?.addr_info ?? []).some((a) => a.local === vip) ? d : undefined;
      }),
    );
    const holders = held.filter((d): d is string => d !== undefined);
    return { owners: holders.filter((d) => up.has(d)), stale: holders.filter((d) => !up.has(d)) };
  }

  /**
   * Client connections each director has forwarded so far, summed over the direct-routing real servers
   * (the counters #watchVia installed); undefined when the farm has none.
   */
  async via(): Promise<Record<string, number> | undefined> {
    if (this.#viaReals.length === 0) return undefined;
    const out: Record<string, number> = Object.fromEntries(this.directors.map((d) => [d, 0]));
    for (const real of this.#viaReals) {
      const r = await this.topo.run(real, ['nft', '-j', 'list', 'counters', 'table', 'inet', VIA_TABLE]);
      const items = (JSON.parse(r) as { nftables?: { counter?: { name: string; packets: number } }[] })
        .nftables;
      for (const { counter } of items ?? []) {
        const d = counter && this.directors[Number(counter.name.slice(3))];
        if (counter && d !== undefined) out[d] = (out[d] ?? 0) + counter.packets;
      }
    }
    return out;
  }

  startClients(): void {
    for (const h of this.#s.hosts) if (h.role === 'client') this.web.startClient(h);
  }

  async link(host: string, dev: string, up: boolean): Promise<void> {
    await this.topo.run(host, ['ip', 'link', 'set', 'dev', dev, up ? 'up' : 'down']);
  }

  /** Drop `percent`% of UDP to/from `port` in `host` (nft numgen random); 0 removes the rule. */
  async loss(host: string, percent: number, port: number): Promise<void> {
    await this.topo.exec(host).run(['nft', 'delete', 'table', 'inet', 'wflab']);
    if (percent === 0) return;
    const drop = percent >= 100 ? 'drop' : `numgen random mod 100 < ${percent} drop`;
    const rules = [
      'table inet wflab {',
      `  chain in { type filter hook input priority 0; udp dport ${port} ${drop}; }`,
      `  chain out { type filter hook output priority 0; udp dport ${port} ${drop}; }`,
      '}',
    ];
    await this.topo.run(host, ['nft', '-f', '-'], rules.join('\n'));
  }

  /** Stop (SIGSTOP) or resume (SIGCONT) the socat process that is the serial cable. */
  serial(up: boolean): void {
    const pid = this.#socat?.pid;
    if (pid === undefined) throw new Error('no serial cable');
    process.kill(pid, up ? 'SIGCONT' : 'SIGSTOP');
  }

  /** `count` reloads over the admin API (POST /v1/reload); with `bad`, of a config with an error, restored after. */
  async reload(host: string, bad: boolean, count: number): Promise<number[]> {
    const cfg = this.#configs.get(host);
    if (!cfg) throw new Error(`${host} is not a director`);
    if (bad) writeFileSync(cfg.path, brokenConfig(cfg.text));
    const codes: number[] = [];
    try {
      for (let i = 0; i < count; i++) {
        try {
          await adminRequest(cfg.socket, 'POST', '/v1/reload', {});
          codes.push(0);
        } catch {
          codes.push(1);
        }
      }
    } finally {
      if (bad) writeFileSync(cfg.path, cfg.text);
    }
    return codes;
  }

  /** The directors' last log lines, for a failed run; accepted reloads (100 of them in a step) left out. */
  diagnostics(lines = 80): string {
    const useful = (l: string) => !/ info reload /.test(l);
    return [...this.#logs]
      .map(([n, l]) => `--- ${n}\n${l.filter(useful).slice(-lines).join('\n')}`)
      .join('\n');
  }

  /** End everything by PID, delete the namespaces and the directory; what leaked (should be nothing). */
  async destroy(): Promise<string[]> {
    await this.topo.destroy();
    rmSync(this.dir, { recursive: true, force: true });
    const leaks = this.topo.leftNamespaces().map((n) => `namespace ${n}`);
    leaks.push(...this.topo.liveChildren().map((p) => `process ${p}`));
    return leaks;
  }

  #writeConfig(h: DirectorHost): void {
    const source =
      typeof h.config === 'string' ? readFileSync(resolve(this.#base, h.config), 'utf8') : h.config;
    const prepared = prepareDirectorConfig(source, h.substitute, { dir: this.dir, host: h.name });
    const path = join(this.dir, `${h.name}.yaml`);
    writeFileSync(path, prepared.text);
    this.#configs.set(h.name, { path, text: prepared.text, socket: prepared.socket });
  }

  /**
   * In every direct-routing real server (one with `vip_on_lo`), count the SYNs to the VIP by the frame's
   * source MAC, one counter per director (`via<index>`): direct routing rewrites the source MAC to the
   * forwarding director's, so this tells whose kernel path carried each new client connection.
   */
  async #watchVia(): Promise<void> {
    const reals = this.#s.hosts.filter((h) => h.role === 'real' && h.vip_on_lo.includes(this.#s.vip));
    if (reals.length === 0) return;
    const macs = await Promise.all(this.directors.map((d) => this.topo.mac(d, 'eth0')));
    const syn = `ip daddr ${this.#s.vip} tcp flags & (fin|syn|rst|ack) == syn`;
    const rules = [
      `table inet ${VIA_TABLE} {`,
      ...macs.map((_, i) => `  counter via${i} { }`),
      '  chain pre {',
      '    type filter hook prerouting priority -300;',
      ...macs.map((m, i) => `    ${syn} ether saddr ${m} counter name via${i}`),
      '  }',
      '}',
    ];
    for (const h of reals) await this.topo.run(h.name, ['nft', '-f', '-'], rules.join('\n'));
    this.#viaReals = reals.map((h) => h.name);
  }

  async #real(h: RealHost): Promise<void> {
    if (h.vip_on_lo.length === 0) return;
    for (const [k, v] of [
      ['net.ipv4.conf.all.arp_ignore', '1'],
      ['net.ipv4.conf.all.arp_announce', '2'],
    ])
      await this.topo.run(h.name, ['sysctl', '-q', '-w', `${k}=${v}`]);
    for (const a of h.vip_on_lo) await this.topo.run(h.name, ['ip', 'addr', 'add', `${a}/32`, 'dev', 'lo']);
  }

  async #startCable(pair: readonly [string, string]): Promise<void> {
    const [a, b] = pair.map((h) => join(this.dir, `tty-${h}`)) as [string, string];
    this.#socat = await startNullModem(this.topo, 'sw', a, b);
  }
}
