import { networkInterfaces } from 'node:os';
import { WebfarmError } from '../../model/errors.ts';
import { broadcastOf, deviceIpv4, type Interfaces } from './ipv4-iface.ts';
import type { Medium } from './medium.ts';
import { HEARTBEAT_UDP_PORT } from './udp-unicast.ts';
import { UdpMedium } from './udp-medium.ts';

export interface UdpBroadcastOptions {
  /** The device whose subnet is broadcast to (heartbeat `bcast eth0`). */
  readonly device: string;
  readonly port?: number;
  /** Override; by default derived from the device's address and prefix. */
  readonly broadcastAddress?: string;
  readonly name?: string;
  /** Injected for tests; default `os.networkInterfaces()`. */
  readonly interfaces?: Interfaces;
}

/** The address `bcast <device>` sends to, or WF_ERR_CLUSTER_MEDIUM naming what is wrong with the device. */
export function broadcastTarget(device: string, interfaces: Interfaces): string {
  const d = deviceIpv4(device, interfaces);
  if (!d.ok) throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', `bcast ${device}: ${d.message}`);
  const b = broadcastOf(d.value.address, d.value.prefix);
  if (b === undefined) {
    const msg = `bcast ${device}: ${d.value.address}/${d.value.prefix} has no broadcast address`;
    throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', msg);
  }
  return b;
}

/** UDP broadcast on a device's subnet (heartbeat `bcast dev`), received on 0.0.0.0:port. */
export async function openUdpBroadcast(o: UdpBroadcastOptions): Promise<Medium> {
  const port = o.port ?? HEARTBEAT_UDP_PORT;
  const address = o.broadcastAddress ?? broadcastTarget(o.device, o.interfaces ?? networkInterfaces());
  return UdpMedium.open({
    name: o.name ?? `bcast ${o.device}`,
    bindAddress: '0.0.0.0',
    port,
    targets: [{ address, port }],
    setup: (s) => s.setBroadcast(true),
  });
}
