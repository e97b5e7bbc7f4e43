import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../peers.ts';
import { type ClusterFarm, type Node, VIP } from '../../test/system/support/cluster-farm.ts';
import { lineFrom } from '../../test/system/support/netns.ts';
import type { Contender } from './contender.ts';
import { HOST, VIP_PREFIX, watchLines } from './director.ts';
import { keepalivedConfig, VRRP_ADVERT_INT_S, vrrpState, withoutCluster } from './keepalived-config.ts';

const WEBFARM = join(ROOT, 'bin', 'webfarm.js');
const PRIORITY: Record<Node, number> = { dira: 150, dirb: 100 };

/**
 * keepalived 2.2.7 moving the VIP (advert_int 1, priorities 150/100, preemption on), with webfarm's proxy
 * engine (the same service config minus `cluster:`) on both directors bound to VIP:80 through
 * `net.ipv4.ip_nonlocal_bind=1`: the client's request path is the same as with webfarm's cluster.
 * keepalived runs as the notes ran it: `-n -l -D`, distinct pid files per node.
 */
export class KeepalivedContender implements Contender {
  readonly name = 'keepalived';
  readonly timing = `advert_int ${VRRP_ADVERT_INT_S} s, priorities 150/100`;
  readonly farm: ClusterFarm;
  readonly #state = new Map<Node, string>();
  readonly #logs = new Map<Node, string[]>();

  constructor(farm: ClusterFarm) {
    this.farm = farm;
  }

  async start(node: Node): Promise<void> {
    const host = HOST[node];
    const f = (name: string) => join(this.farm.dir, `ka-${node}-${name}`);
    await this.farm.topo.run(host, ['sysctl', '-q', '-w', 'net.ipv4.ip_nonlocal_bind=1']);
    writeFileSync(f('webfarm.yaml'), withoutCluster(this.farm.config(node)));
    writeFileSync(
      f('keepalived.conf'),
      keepalivedConfig({ routerId: node, priority: PRIORITY[node] }, VIP, VIP_PREFIX),
    );
    // Pid files of a killed keepalived name PIDs that may be reused by now: keepalived would then refuse
    // to start ("daemon is already running").
    for (const p of ['keepalived.pid', 'vrrp.pid', 'checkers.pid']) rmSync(f(p), { force: true });
    const log: string[] = [];
    this.#logs.set(node, log);
    this.#state.delete(node);
    const proxy = this.farm.topo.spawn(host, [process.execPath, WEBFARM, 'run', '-c', f('webfarm.yaml')]);
    const started = lineFrom(proxy, (l) => l.includes('press Ctrl-C'), `${node} proxy to start`, 20_000);
    watchLines(proxy, log);
    await started;
    const ka = this.farm.topo.spawn(host, [
      'keepalived',
      '-n',
      '-l',
      '-D',
      '-f',
      f('keepalived.conf'),
      '-p',
      f('keepalived.pid'),
      '-r',
      f('vrrp.pid'),
      '-c',
      f('checkers.pid'),
    ]);
    watchLines(ka, log, (l) => {
      const s = vrrpState(l);
      if (s) this.#state.set(node, s);
    });
  }

  async checkSteady(): Promise<void> {
    const a = this.#state.get('dira');
    const b = this.#state.get('dirb');
    if (a !== 'MASTER' || b !== 'BACKUP') throw new Error(`VRRP states: dira ${a}, dirb ${b}`);
  }

  diagnostics(): string {
    return [...this.#logs].map(([n, log]) => `--- ${n}\n${log.slice(-40).join('\n')}`).join('\n');
  }
}
