import { foldAddress, hash32 } from './hash.ts';

/**
 * The lblc/lblcr cache table with the kernel's garbage collector (ip_vs_lblc.c / ip_vs_lblcr.c), driven by
 * the flows' clock instead of a kernel timer. Entries are keyed by destination address and kept in 1024
 * buckets (`hash_32(ntohl(addr), 10)`, newest first in a bucket), because the collector's partial sweep
 * walks buckets from a rover and stops when it has freed enough — so which entries go depends on the order.
 *
 * Timer: first armed at the first time the table sees (the kernel arms it when the service is created),
 * then every 60 s. Each tick: every 30th tick is a full check that drops entries unused for the expiration
 * (default 24 h); other ticks do nothing unless the table holds more than 16 × 1024 entries, when they drop
 * entries idle for 6 min or more, up to `min((entries − max) · 4/3, max/2)` of them.
 */
export const TABLE_BITS = 10;
export const TABLE_SIZE = 1 << TABLE_BITS;
export const MAX_ENTRIES = TABLE_SIZE * 16;
export const CHECK_INTERVAL_MS = 60_000;
export const ENTRY_TIMEOUT_MS = 6 * 60_000;
export const DEFAULT_EXPIRATION_MS = 24 * 60 * 60_000;
export const FULL_CHECK_EVERY = 30;

export interface CacheEntry {
  readonly address: string;
  /** Last lookup, ms on the flows' clock. */
  lastUse: number;
}

export class ExpiringTable<E extends CacheEntry> {
  readonly expirationMs: number;
  readonly #byAddress = new Map<string, E>();
  readonly #buckets: E[][] = Array.from({ length: TABLE_SIZE }, () => []);
  #rover = 0;
  #counter = 1;
  #nextTickMs: number | undefined;

  constructor(expirationMs = DEFAULT_EXPIRATION_MS) {
    this.expirationMs = expirationMs;
  }

  get size(): number {
    return this.#byAddress.size;
  }

  values(): IterableIterator<E> {
    return this.#byAddress.values();
  }

  get(address: string): E | undefined {
    return this.#byAddress.get(address);
  }

  add(entry: E): void {
    this.#byAddress.set(entry.address, entry);
    this.#buckets[bucketOf(entry.address)]?.unshift(entry);
  }

  /** Run every collector tick due at or before `nowMs`. Call before each lookup. */
  advance(nowMs: number): void {
    if (this.#nextTickMs === undefined) {
      this.#nextTickMs = nowMs + CHECK_INTERVAL_MS;
      return;
    }
    while (this.#nextTickMs <= nowMs) {
      if (this.#counter % FULL_CHECK_EVERY !== 0 && this.size <= MAX_ENTRIES) this.#skipQuietTicks(nowMs);
      else this.#tick(this.#nextTickMs);
    }
  }

  /**
   * While the table is small, ticks only count up to the next full check. Jump over them, and over all but
   * the last of several due full checks (an earlier one drops a subset of what the later one drops, and a
   * full sweep leaves the rover where it was).
   */
  #skipQuietTicks(nowMs: number): void {
    const next = this.#nextTickMs as number;
    const quiet = FULL_CHECK_EVERY - (this.#counter % FULL_CHECK_EVERY);
    const fullAt = next + quiet * CHECK_INTERVAL_MS;
    if (fullAt > nowMs) {
      const due = Math.floor((nowMs - next) / CHECK_INTERVAL_MS) + 1;
      this.#counter += due;
      this.#nextTickMs = next + due * CHECK_INTERVAL_MS;
      return;
    }
    const period = FULL_CHECK_EVERY * CHECK_INTERVAL_MS;
    const lastFull = fullAt + Math.floor((nowMs - fullAt) / period) * period;
    this.#counter = FULL_CHECK_EVERY;
    this.#nextTickMs = lastFull;
  }

  #tick(at: number): void {
    this.#nextTickMs = at + CHECK_INTERVAL_MS;
    if (this.#counter % FULL_CHECK_EVERY === 0) {
      this.#sweep((e) => at >= e.lastUse + this.expirationMs, Number.POSITIVE_INFINITY);
      this.#counter = 1;
      return;
    }
    if (this.size <= MAX_ENTRIES) {
      this.#counter++;
      return;
    }
    const goal = Math.min(Math.trunc(((this.size - MAX_ENTRIES) * 4) / 3), MAX_ENTRIES / 2);
    this.#sweep((e) => at >= e.lastUse + ENTRY_TIMEOUT_MS, goal);
  }

  /** Walk buckets from the one after the rover; stop after a bucket once `goal` entries are gone. */
  #sweep(stale: (e: E) => boolean, goal: number): void {
    let left = goal;
    let j = this.#rover;
    for (let i = 0; i < TABLE_SIZE; i++) {
      j = (j + 1) & (TABLE_SIZE - 1);
      const bucket = this.#buckets[j] as E[];
      for (let k = 0; k < bucket.length; ) {
        const e = bucket[k] as E;
        if (!stale(e)) {
          k++;
          continue;
        }
        bucket.splice(k, 1);
        this.#byAddress.delete(e.address);
        left--;
      }
      if (left <= 0) break;
    }
    this.#rover = j;
  }
}

function bucketOf(address: string): number {
  return hash32(foldAddress(address), TABLE_BITS);
}
