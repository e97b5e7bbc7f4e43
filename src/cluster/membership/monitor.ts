import type { Clock, Timer } from '../../platform/clock.ts';
import {
  type Arrival,
  check,
  heard,
  initialMembership,
  type MembershipEvent,
  type MembershipState,
  type MembershipStep,
} from './fsm.ts';
import type { Timing } from './timing.ts';

export type MembershipListener = (e: MembershipEvent) => void;

/**
 * The membership state machine (fsm.ts) on a Clock: checks every `intervalMs`, each timer armed when the
 * previous check ran, so a stalled loop shows up as a late check (the stall rule needs that).
 */
export class MembershipMonitor {
  readonly #clock: Clock;
  readonly #listeners = new Set<MembershipListener>();
  #state: MembershipState;
  #timer: Timer | undefined;

  constructor(clock: Clock, timing: Timing, peers: readonly string[], links: readonly string[]) {
    this.#clock = clock;
    this.#state = initialMembership(timing, peers, links, clock.now());
  }

  get state(): MembershipState {
    return this.#state;
  }

  /** Start the periodic checks (silence is measured from construction). */
  start(): void {
    if (this.#timer === undefined) this.#arm();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  on(listener: MembershipListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A message from `peer` on `link` (fresh, or a duplicate), at the clock's now. */
  heard(peer: string, link: string, fresh = true): void {
    const a: Arrival = { peer, link, fresh, now: this.#clock.now() };
    this.#apply(heard(this.#state, a));
  }

  #arm(): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#apply(check(this.#state, this.#clock.now()));
      if (this.#timer !== undefined) this.#arm();
    }, this.#state.intervalMs);
  }

  #apply(step: MembershipStep): void {
    this.#state = step.state;
    for (const e of step.events) for (const l of this.#listeners) l(e);
  }
}
