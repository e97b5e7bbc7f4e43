import type { MembershipEvent } from '../membership/fsm.ts';
import type { MediumStatus } from '../media/medium.ts';
import type { Message } from '../message.ts';
import type { RejectReason } from '../receive-filter.ts';

/**
 * What a heartbeat node reports, for logs and for a resource manager to subscribe to (docs/cluster.md
 * "Events"). Plain data, safe to post between threads. `at` is the node's monotonic ms (meaningful only
 * within that node's thread), `wallAt` epoch ms.
 *
 * From membership (fsm.ts): peer-up (first-heartbeat | returned), peer-dead (timeout | never-heard),
 * link-up, link-dead, late-heartbeat, stalled. From the receive path: peer-restarted (higher generation),
 * rejected (every reject reason but `duplicate`, which is normal with several media; counted instead),
 * message (an accepted non-status message, e.g. a resource request). From the media: medium-status.
 */
export type NodeEvent =
  | {
      readonly kind: 'peer-restarted';
      readonly peer: string;
      readonly fromGeneration: number;
      readonly toGeneration: number;
      readonly at: number;
    }
  | {
      readonly kind: 'rejected';
      readonly reason: RejectReason;
      readonly link: string;
      /** Where the packet came from, as the medium names it (address:port, or the tty). */
      readonly sender: string;
      readonly from?: string;
      readonly detail: string;
      readonly at: number;
    }
  | {
      readonly kind: 'message';
      readonly peer: string;
      readonly link: string;
      readonly message: Message;
      readonly at: number;
    }
  | {
      readonly kind: 'medium-status';
      readonly link: string;
      readonly status: MediumStatus;
      readonly detail: string;
      readonly at: number;
    };

export type ClusterEvent = (MembershipEvent | NodeEvent) & { readonly wallAt: number };

export type ClusterEventKind = ClusterEvent['kind'];

export type ClusterListener = (e: ClusterEvent) => void;
