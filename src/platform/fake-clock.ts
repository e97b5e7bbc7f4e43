import type { Clock, Timer } from './clock.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  everyMs: number | undefined;
  live: boolean;
}

/**
 * A Clock whose time moves only when `advance` is called. A supported implementation (used by tests and
 * simulations): timers fire in deadline order, ties in creation order.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  wallNow(): number {
    return 1_700_000_000_000 + this.#now;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.#add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.#add(fn, ms, Math.max(1, ms));
  }

  /** Move time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#now = next.at;
      if (next.everyMs === undefined) next.live = false;
      else next.at += next.everyMs;
      next.fn();
    }
    this.#now = target;
    this.#pending = this.#pending.filter((p) => p.live);
  }

  #add(fn: () => void, ms: number, everyMs: number | undefined): Timer {
    const p: Pending = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, everyMs, live: true };
    this.#pending.push(p);
    return {
      cancel: () => {
        p.live = false;
      },
    };
  }

  #nextDue(limit: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.#pending) {
      if (!p.live || p.at > limit) continue;
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }
}
