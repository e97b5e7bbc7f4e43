import type { MembershipView } from '../manager/membership-view.ts';
import type { MembershipEvent } from '../membership/fsm.ts';
import type { Message } from '../message.ts';
import type { ClusterEvent, ClusterListener } from './cluster-event.ts';

/** What both a HeartbeatNode (same thread) and a HeartbeatWorker (its handle) offer. */
export interface ClusterEventSource {
  on(listener: ClusterListener): () => void;
  send(message: Message): void;
}

const MEMBERSHIP_KINDS: ReadonlySet<ClusterEvent['kind']> = new Set([
  'peer-up',
  'peer-dead',
  'link-up',
  'link-dead',
  'late-heartbeat',
  'stalled',
]);

/**
 * The resource manager's view (manager/membership-view.ts) of a heartbeat node: membership events and
 * `message` events (accepted non-status messages) split apart, sends passed through.
 */
export function membershipView(
  source: ClusterEventSource,
  self: string,
  nodes: readonly string[],
): MembershipView {
  const me = self.toLowerCase();
  const peers = nodes.map((n) => n.toLowerCase()).filter((n) => n !== me);
  return {
    self: me,
    peers: () => peers,
    onEvent: (listener: (e: MembershipEvent) => void) =>
      source.on((e) => {
        if (MEMBERSHIP_KINDS.has(e.kind)) listener(e as MembershipEvent);
      }),
    send: (msg) => source.send(msg),
    onMessage: (listener: (from: string, msg: Message) => void) =>
      source.on((e) => {
        if (e.kind === 'message') listener(e.peer, e.message);
      }),
  };
}
