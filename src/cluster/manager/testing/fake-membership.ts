import type { MembershipEvent } from '../../membership/fsm.ts';
import type { Message } from '../../message.ts';
import type { MembershipView } from '../membership-view.ts';

/**
 * Two MembershipViews back to back, for manager tests. Messages are delivered on a later microtask (as a
 * real medium would, never re-entrantly) while the link is up; membership events are raised by the test.
 */
export class FakeMembershipPair {
  readonly a: FakeView;
  readonly b: FakeView;
  linked = true;

  constructor(nameA: string, nameB: string) {
    this.a = new FakeView(nameA, nameB, (m) => this.#carry(this.b, nameA, m));
    this.b = new FakeView(nameB, nameA, (m) => this.#carry(this.a, nameB, m));
  }

  #carry(to: FakeView, from: string, m: Message): void {
    if (!this.linked) return;
    queueMicrotask(() => {
      if (this.linked) to.deliver(from, m);
    });
  }
}

export class FakeView implements MembershipView {
  readonly self: string;
  readonly #peer: string;
  readonly #send: (m: Message) => void;
  readonly #events = new Set<(e: MembershipEvent) => void>();
  readonly #messages = new Set<(from: string, m: Message) => void>();
  readonly sent: Message[] = [];

  constructor(self: string, peer: string, send: (m: Message) => void) {
    this.self = self;
    this.#peer = peer;
    this.#send = send;
  }

  peers(): readonly string[] {
    return [this.#peer];
  }

  onEvent(listener: (e: MembershipEvent) => void): () => void {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }

  onMessage(listener: (from: string, m: Message) => void): () => void {
    this.#messages.add(listener);
    return () => this.#messages.delete(listener);
  }

  send(m: Message): void {
    this.sent.push(m);
    this.#send(m);
  }

  deliver(from: string, m: Message): void {
    for (const l of this.#messages) l(from, m);
  }

  /** Raise peer-up (reason `first-heartbeat` or `returned`) or peer-dead for our peer. */
  peerUp(reason: 'first-heartbeat' | 'returned' = 'first-heartbeat'): void {
    this.#emit({ kind: 'peer-up', peer: this.#peer, link: 'fake', at: 0, reason });
  }

  peerDead(): void {
    this.#emit({ kind: 'peer-dead', peer: this.#peer, at: 0, silentMs: 0, reason: 'timeout' });
  }

  #emit(e: MembershipEvent): void {
    for (const l of this.#events) l(e);
  }
}
