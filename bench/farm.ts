import type { ExecRunner } from '../src/engines/nft/exec-runner.ts';
import { realServerUp } from '../src/engines/nft/realserver-setup.ts';
import { Topology } from '../src/lab/netns.ts';
import { NETNS_SYSCTLS, type NsExec, nsExec } from './netns.ts';
import { ADDR } from './topology.ts';

/**
 * The benchmark's network (the address plan is bench/topology.ts): namespaces client, director, real server
 * and a switch namespace holding the three bridges, named `wfbench<pid>-<host>` (src/lab/netns.ts; unique
 * per run), no default route, documentation addresses only. In every host TIME_WAIT is capped at 2000
 * buckets and the ephemeral port range widened (reference/ecosystem.md §8), so connection-per-request runs
 * measure the path and not port exhaustion. The real server is prepared for direct routing (DR VIP on lo,
 * arp_ignore/announce).
 */
export interface Farm {
  readonly client: NsExec;
  readonly director: NsExec;
  readonly real: NsExec;
  /** The director's namespace as the nft engine's command runner. */
  readonly directorExec: ExecRunner;
  /** Delete every namespace (idempotent). Processes in them must be stopped first (exec.ts stopAll). */
  destroy(): Promise<void>;
}

export async function createFarm(): Promise<Farm> {
  const topo = new Topology('bench');
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    await topo.destroy();
  };
  try {
    await build(topo);
  } catch (e) {
    await destroy();
    throw e;
  }
  return {
    client: nsExec(topo.ns('c')),
    director: nsExec(topo.ns('d')),
    real: nsExec(topo.ns('r')),
    directorExec: topo.exec('d'),
    destroy,
  };
}

async function build(topo: Topology): Promise<void> {
  await topo.addSwitch(['front', 'back', 'lan']);
  await topo.addHost('c', [
    { bridge: 'front', dev: 'eth0', addrs: [`${ADDR.clientFront}/24`] },
    { bridge: 'lan', dev: 'eth1', addrs: [`${ADDR.clientLan}/24`] },
  ]);
  await topo.addHost('d', [
    { bridge: 'front', dev: 'eth0', addrs: [`${ADDR.directorFront}/24`, `${ADDR.natVip}/24`] },
    { bridge: 'back', dev: 'eth1', addrs: [`${ADDR.directorBack}/24`] },
    { bridge: 'lan', dev: 'eth2', addrs: [`${ADDR.directorLan}/24`, `${ADDR.drVip}/24`] },
  ]);
  await topo.addHost('r', [
    { bridge: 'back', dev: 'eth0', addrs: [`${ADDR.realBack}/24`] },
    { bridge: 'lan', dev: 'eth1', addrs: [`${ADDR.realLan}/24`] },
  ]);
  await topo.run('d', ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  await topo.run('c', ['ip', 'route', 'add', '198.51.100.0/24', 'via', ADDR.directorFront]);
  await topo.run('r', ['ip', 'route', 'add', '203.0.113.0/24', 'via', ADDR.directorBack]);
  for (const h of ['c', 'd', 'r']) await topo.run(h, ['sysctl', '-qw', ...NETNS_SYSCTLS]);
  await realServerUp(topo.exec('r'), [ADDR.drVip]);
}
