/**
 * A random source, injected like the Clock so decisions that use randomness (check jitter) are
 * reproducible in tests. `next()` returns a float in [0, 1).
 */
export interface Rng {
  next(): number;
}

/** Math.random, for production wiring only. */
export const systemRng: Rng = { next: () => Math.random() };

/** A seeded generator (mulberry32: 32-bit state, period 2^32); the same seed gives the same sequence. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
