import type { Message } from '../message.ts';
import type { MembershipEvent } from '../membership/fsm.ts';

/**
 * What the resource manager needs from the cluster node (membership + message layer), and nothing more.
 * The composition root adapts the heartbeat node to it; tests use a fake pair wired back to back.
 */
export interface MembershipView {
  /** Our node name (`uname -n` or ha.cf `node`). */
  readonly self: string;
  /** The other configured nodes (the manager supports exactly one). */
  peers(): readonly string[];
  /** Membership events; the manager acts on `peer-up` and `peer-dead`. Returns an unsubscribe. */
  onEvent(listener: (e: MembershipEvent) => void): () => void;
  /** Send to every peer over every medium, authenticated and sequenced by the message layer. */
  send(msg: Message): void;
  /** Messages from peers that passed the receive filter. Returns an unsubscribe. */
  onMessage(listener: (from: string, msg: Message) => void): () => void;
}
