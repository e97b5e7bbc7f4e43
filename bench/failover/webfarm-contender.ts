import type { ClusterFarm, Node } from '../../test/system/support/cluster-farm.ts';
import type { Contender } from './contender.ts';

/**
 * webfarm's own cluster: two `webfarm run -c` directors (ClusterFarm's config: default cluster timing,
 * heartbeats over UDP broadcast on eth0, one group {VIP, services} preferring dira, auto_failback on so
 * the restarted dira takes it back between runs).
 */
export class WebfarmContender implements Contender {
  readonly name = 'webfarm';
  readonly farm: ClusterFarm;
  timing = 'default cluster timing';

  constructor(farm: ClusterFarm) {
    this.farm = farm;
  }

  start(node: Node): Promise<void> {
    return this.farm.start(node);
  }

  async checkSteady(): Promise<void> {
    const b = await this.farm.cluster('dirb');
    const t = b.timing;
    this.timing = `keepalive ${t.keepaliveMs} ms, deadtime ${t.deadtimeMs} ms (defaults)`;
    const peer = b.peers[0];
    const group = b.groups[0];
    if (peer?.status !== 'up' || group?.owner !== 'dira' || group.op !== null)
      throw new Error(`dirb sees dira ${peer?.status}, group owner ${group?.owner}, op ${group?.op}`);
  }

  diagnostics(): string {
    return this.farm.diagnostics();
  }
}
