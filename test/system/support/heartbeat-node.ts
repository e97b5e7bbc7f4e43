import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from './netns.ts';

/**
 * A real Linux-HA heartbeat 3.0.6 node (Debian's `heartbeat` package, v1 haresources mode) in a network
 * namespace, run as /work/shared/reference/heartbeat-3.0.6-notes.md describes: `unshare --uts --mount`,
 * its own host name, our ha.d bound over /etc/ha.d, a tmpfs /run with heartbeat's directories owned by
 * hacluster:haclient, its own /var/lib/heartbeat and /var/log. heartbeat forks (master, read/write
 * children per medium), so stop() kills every process in the node's network namespace, by PID.
 */

export const HEARTBEAT = '/usr/libexec/heartbeat/heartbeat';

/** Why a heartbeat node cannot run here (beyond root + ip netns), or undefined. */
export function heartbeatUnavailable(): string | undefined {
  if (!existsSync(HEARTBEAT)) return `${HEARTBEAT} is missing (apt-get install heartbeat)`;
  if (!existsSync('/etc/ha.d/resource.d/IPaddr')) return '/etc/ha.d/resource.d/IPaddr is missing';
  const id = spawnSync('id', ['hacluster'], { stdio: 'ignore' });
  if (id.status !== 0) return 'no hacluster user (the heartbeat package creates it)';
  const u = spawnSync('unshare', ['--version'], { stdio: 'ignore' });
  if (u.error || u.status !== 0) return 'unshare is not installed';
  return undefined;
}

export interface HeartbeatNodeOptions {
  /** Namespace host name in the Topology (e.g. 'hba'). */
  readonly host: string;
  /** The node's `uname -n` (heartbeat lower-cases it on the wire). */
  readonly name: string;
  /** Every node line, ours included. */
  readonly nodes: readonly string[];
  /** haresources line, e.g. `hbA IPaddr::192.0.2.240/24/eth0`. */
  readonly haresources: string;
  /** The shared sha1 key (authkeys `1 sha1 KEY`). */
  readonly key: string;
  readonly keepalive: string;
  readonly warntime: string;
  readonly deadtime: string;
  readonly initdead: string;
  readonly autoFailback: boolean;
}

export class HeartbeatNode {
  readonly #topo: Topology;
  readonly #dir: string;
  readonly o: HeartbeatNodeOptions;

  constructor(topo: Topology, dir: string, o: HeartbeatNodeOptions) {
    this.#topo = topo;
    this.#dir = join(dir, `hb-${o.host}`);
    this.o = o;
  }

  get logFile(): string {
    return join(this.#dir, 'ha-log');
  }

  /** ha.d (the package's scripts plus our ha.cf, haresources, authkeys 0600), lib and log directories. */
  writeConfig(): void {
    const had = join(this.#dir, 'ha.d');
    mkdirSync(this.#dir, { recursive: true });
    cpSync('/etc/ha.d', had, { recursive: true });
    for (const d of ['lib/cores', 'log']) mkdirSync(join(this.#dir, d), { recursive: true });
    const o = this.o;
    writeFileSync(
      join(had, 'ha.cf'),
      [
        'use_logd no',
        `logfile ${this.logFile}`,
        `debugfile ${join(this.#dir, 'ha-debug')}`,
        `keepalive ${o.keepalive}`,
        `warntime ${o.warntime}`,
        `deadtime ${o.deadtime}`,
        `initdead ${o.initdead}`,
        'udpport 694',
        'bcast eth0',
        `auto_failback ${o.autoFailback ? 'on' : 'off'}`,
        'crm no',
        ...o.nodes.map((n) => `node ${n}`),
        '',
      ].join('\n'),
    );
    writeFileSync(join(had, 'haresources'), `${o.haresources}\n`);
    const authkeys = join(had, 'authkeys');
    writeFileSync(authkeys, `auth 1\n1 sha1 ${o.key}\n`, { mode: 0o600 });
    chmodSync(authkeys, 0o600);
  }

  /** Start the daemon in its namespace; resolves once its log says it is running its media. */
  async start(): Promise<void> {
    const d = this.#dir;
    const script = [
      'set -e',
      `hostname ${this.o.name}`,
      `mount --bind ${join(d, 'ha.d')} /etc/ha.d`,
      'mount -t tmpfs tmpfs /run',
      'mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/resource-agents /run/lock',
      'chown -R hacluster:haclient /run/heartbeat /run/resource-agents',
      `mount --bind ${join(d, 'lib')} /var/lib/heartbeat`,
      `mount --bind ${join(d, 'log')} /var/log`,
      `exec ${HEARTBEAT}`,
    ].join('\n');
    const child = this.#topo.spawn(this.o.host, ['unshare', '--uts', '--mount', 'bash', '-c', script]);
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    // heartbeat daemonises: the launched process exits once the daemon is running.
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`heartbeat did not start (exit ${code}): ${err.trim()}\n${this.log()}`);
  }

  /** Every PID in the node's network namespace (all started by start()). */
  pids(): number[] {
    const r = spawnSync('ip', ['netns', 'pids', this.#topo.ns(this.o.host)], { encoding: 'utf8' });
    return r.stdout
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((p) => Number.isInteger(p) && p > 0);
  }

  /** SIGKILL every process of the node (by PID, repeated until none is left: children may fork). */
  async kill(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const pids = this.pids();
      if (pids.length === 0) return;
      for (const p of pids) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {}
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`heartbeat processes survive: ${this.pids().join(' ')}`);
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '(no heartbeat log)';
  }
}
