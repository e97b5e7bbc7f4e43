import { networkInterfaces } from 'node:os';
import { localIpv4Addresses } from './ipv4-iface.ts';
import type { Medium } from './medium.ts';
import { UdpMedium, type UdpTarget } from './udp-medium.ts';

/** heartbeat's udpport (`ha-cluster`). */
export const HEARTBEAT_UDP_PORT = 694;

export interface UdpUnicastOptions {
  /** Link name; default `ucast <peer addresses>`. */
  readonly name?: string;
  /** Default 0.0.0.0. */
  readonly bindAddress?: string;
  /** Our port, also the peers' port unless a peer names its own; default 694. */
  readonly port?: number;
  /** The `ucast` lines' peer addresses (`10.0.0.2`) or address:port pairs. */
  readonly peers: readonly (string | UdpTarget)[];
  /** Our own addresses, for the own-address rule; default every IPv4 address on this host. */
  readonly localAddresses?: Iterable<string>;
}

/**
 * The own-address rule of heartbeat's ucast: a line naming one of our own addresses (on our own port) is
 * ignored, so one ha.cf listing every node fits all of them. Pure.
 */
export function ucastTargets(
  peers: readonly (string | UdpTarget)[],
  port: number,
  local: ReadonlySet<string>,
): { readonly targets: UdpTarget[]; readonly ignored: UdpTarget[] } {
  const targets: UdpTarget[] = [];
  const ignored: UdpTarget[] = [];
  for (const p of peers) {
    const t = typeof p === 'string' ? { address: p, port } : p;
    (local.has(t.address) && t.port === port ? ignored : targets).push(t);
  }
  return { targets, ignored };
}

/** UDP unicast to each peer that is not ourselves (heartbeat `ucast dev peer-ip`). */
export async function openUdpUnicast(o: UdpUnicastOptions): Promise<Medium & { readonly port: number }> {
  const port = o.port ?? HEARTBEAT_UDP_PORT;
  const local = new Set(o.localAddresses ?? localIpv4Addresses(networkInterfaces()));
  const { targets } = ucastTargets(o.peers, port, local);
  const name = o.name ?? `ucast ${targets.map((t) => `${t.address}:${t.port}`).join(' ')}`;
  return UdpMedium.open({ name, bindAddress: o.bindAddress ?? '0.0.0.0', port, targets });
}
