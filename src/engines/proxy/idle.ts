/**
 * Coarse idle tracking without a clock read per chunk. The data path only increments `ticks`; a periodic
 * sweeper calls `expiry(now, timeoutMs)`, which notices a change since the previous sweep and moves the
 * last-activity time to that sweep's `now`. Because that is never earlier than the real last activity, an
 * entry never expires before `timeoutMs` of real idleness; it may expire up to one sweep interval late.
 * Times are monotonic milliseconds.
 */
export class Idle {
  /** Bumped by the data path once per chunk or datagram. */
  ticks = 0;
  #seen = 0;
  #lastActiveMs: number;

  constructor(nowMs: number) {
    this.#lastActiveMs = nowMs;
  }

  get lastActiveMs(): number {
    return this.#lastActiveMs;
  }

  /** Activity known precisely (a state change): restart the idle period at `nowMs`. */
  touch(nowMs: number): void {
    this.#seen = this.ticks;
    this.#lastActiveMs = nowMs;
  }

  /** Monotonic ms at which the entry expires if nothing more happens. */
  expiry(nowMs: number, timeoutMs: number): number {
    if (this.ticks !== this.#seen) this.touch(nowMs);
    return this.#lastActiveMs + timeoutMs;
  }
}
