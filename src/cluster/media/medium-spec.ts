import type { Medium } from './medium.ts';
import { openSerial, type SerialOptions } from './serial.ts';
import { openUdpBroadcast, type UdpBroadcastOptions } from './udp-broadcast.ts';
import { openUdpMulticast, type UdpMulticastOptions } from './udp-multicast.ts';
import { openUdpUnicast, type UdpUnicastOptions } from './udp-unicast.ts';

/**
 * A medium as plain data (structured-clone safe), so a configuration can be handed to the membership worker
 * and each medium opened there. One kind per heartbeat directive: ucast, bcast, mcast, serial.
 */
export type MediumSpec =
  | ({ readonly kind: 'ucast' } & Omit<UdpUnicastOptions, 'localAddresses'> & {
        readonly localAddresses?: readonly string[];
      })
  | ({ readonly kind: 'bcast' } & Omit<UdpBroadcastOptions, 'interfaces'>)
  | ({ readonly kind: 'mcast' } & Omit<UdpMulticastOptions, 'interfaces'>)
  | ({ readonly kind: 'serial' } & Omit<SerialOptions, 'stty'>);

/** Open the medium a spec describes; WF_ERR_CLUSTER_MEDIUM when it cannot be. */
export function openMedium(spec: MediumSpec): Promise<Medium> {
  switch (spec.kind) {
    case 'ucast':
      return openUdpUnicast(spec);
    case 'bcast':
      return openUdpBroadcast(spec);
    case 'mcast':
      return openUdpMulticast(spec);
    case 'serial':
      return openSerial(spec);
  }
}
