/**
 * Time, injected. Every timer in webfarm goes through a Clock so tests can drive time by hand.
 * `now()` is monotonic milliseconds (not wall-clock); `wallNow()` is epoch milliseconds for display.
 */
export interface Timer {
  /** Stop the timer; idempotent. */
  cancel(): void;
}

export interface Clock {
  now(): number;
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  setInterval(fn: () => void, ms: number): Timer;
}

/** The real clock: performance.now() and Node timers, unref'd so they never keep a process alive alone. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return {
      cancel() {
        clearTimeout(t);
      },
    };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref();
    return {
      cancel() {
        clearInterval(t);
      },
    };
  },
};
