import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { WebfarmError } from '../../model/errors.ts';
import { deviceIpv4, type Interfaces } from './ipv4-iface.ts';
import type { Medium } from './medium.ts';
import { HEARTBEAT_UDP_PORT } from './udp-unicast.ts';
import { UdpMedium } from './udp-medium.ts';

export interface UdpMulticastOptions {
  /** The device to join the group on and send from (heartbeat `mcast eth0 225.0.0.1 694 1 0`). */
  readonly device: string;
  readonly group: string;
  readonly port?: number;
  /** 1..255; default 1 (the local link). */
  readonly ttl?: number;
  /** Deliver our own packets back to us; default false, as heartbeat's sample `mcast … 1 0`. */
  readonly loop?: boolean;
  readonly name?: string;
  readonly interfaces?: Interfaces;
}

/** Check group and ttl; the problem as WF_ERR_CLUSTER_MEDIUM. */
export function checkMulticast(group: string, ttl: number): void {
  const first = Number(group.split('.')[0]);
  if (!isIPv4(group) || first < 224 || first > 239) {
    throw new WebfarmError(
      'WF_ERR_CLUSTER_MEDIUM',
      `mcast: ${group} is not an IPv4 multicast group (224.0.0.0/4)`,
    );
  }
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 255) {
    throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', `mcast ${group}: ttl ${ttl} is not within 1..255`);
  }
}

/** UDP multicast to `group` on `device`. */
export async function openUdpMulticast(o: UdpMulticastOptions): Promise<Medium> {
  const port = o.port ?? HEARTBEAT_UDP_PORT;
  const ttl = o.ttl ?? 1;
  checkMulticast(o.group, ttl);
  const d = deviceIpv4(o.device, o.interfaces ?? networkInterfaces());
  if (!d.ok) throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', `mcast ${o.device}: ${d.message}`);
  const iface = d.value.address;
  return UdpMedium.open({
    name: o.name ?? `mcast ${o.device} ${o.group}`,
    bindAddress: '0.0.0.0',
    port,
    targets: [{ address: o.group, port }],
    setup: (s) => {
      s.addMembership(o.group, iface);
      s.setMulticastInterface(iface);
      s.setMulticastTTL(ttl);
      s.setMulticastLoopback(o.loop ?? false);
    },
  });
}
