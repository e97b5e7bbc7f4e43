import { BUCKET_BITS, BUCKET_COUNT, BUCKET_MASK, fillBuckets, NO_DEST } from './bucket-table.ts';
import { foldAddress, hash32 } from './hash.ts';
import {
  type Flow,
  isEligible,
  type SchedDest,
  type Scheduler,
  type SchedulerFactory,
  type SchedulerOptions,
} from './scheduler.ts';

/**
 * sh — source hashing (kernel ip_vs_sh.c): 256 buckets, each server taking `weight` consecutive buckets per
 * round in list order. Bucket = `(offset + hash_32(sport + ntohl(saddr), 8)) & 255` of the client address
 * (IPv6 folded), with sport = the client port under `sh-port`, else 0, and offset 0. The bucket's server is
 * used if available, weight > 0 and not OVERLOAD-flagged. With `sh-fallback` an unusable server makes the
 * lookup walk offsets ihash, ihash+1, … (256 tries, stopping at an empty bucket) for a usable one.
 */
class SourceHashing implements Scheduler {
  readonly name = 'sh' as const;
  readonly #fallback: boolean;
  readonly #port: boolean;
  #table: Int32Array = new Int32Array(0);

  constructor(options: SchedulerOptions) {
    this.#fallback = options.flags.has('sh-fallback');
    this.#port = options.flags.has('sh-port');
  }

  update(dests: readonly SchedDest[]): void {
    this.#table = fillBuckets(dests, true);
  }

  pick(dests: readonly SchedDest[], flow: Flow): SchedDest | undefined {
    const key = (foldAddress(flow.clientAddress) + (this.#port ? flow.clientPort : 0)) >>> 0;
    const ihash = bucket(key, 0);
    const d = dests[this.#table[ihash] ?? NO_DEST];
    if (d === undefined) return undefined;
    if (isEligible(d) || !this.#fallback) return isEligible(d) ? d : undefined;
    for (let offset = 0; offset < BUCKET_COUNT; offset++) {
      const roffset = (offset + ihash) % BUCKET_COUNT;
      const alt = dests[this.#table[bucket(key, roffset)] ?? NO_DEST];
      if (alt === undefined) return undefined;
      if (isEligible(alt)) return alt;
    }
    return undefined;
  }
}

/** Kernel ip_vs_sh_hashkey: `(offset + hash_32(port + addr, 8)) & mask`. */
function bucket(key: number, offset: number): number {
  return (offset + hash32(key, BUCKET_BITS)) & BUCKET_MASK;
}

export const sh: SchedulerFactory = {
  name: 'sh',
  summary: 'source hashing: a fixed server per client address (flags sh-fallback, sh-port)',
  flags: ['sh-fallback', 'sh-port'],
  create: (options) => new SourceHashing(options),
};
