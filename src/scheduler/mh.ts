import { WebfarmError } from '../model/errors.ts';
import {
  buildMaglevTable,
  isMaglevTableSize,
  MH_DEFAULT_TABLE_SIZE,
  MH_KEY1,
  MH_TABLE_SIZES,
  maglevHash,
} from './maglev-table.ts';
import {
  type Flow,
  isEligible,
  type SchedDest,
  type Scheduler,
  type SchedulerFactory,
  type SchedulerOptions,
} from './scheduler.ts';

/**
 * mh — Maglev hashing (kernel ip_vs_mh.c). `update` rebuilds the lookup table (maglev-table.ts) from every
 * server in the list with its `last_weight` — the latest non-zero weight — so a server quiesced to weight 0
 * keeps its slots (lookups find it unusable) and its flows come back to it when it is re-weighted; a server
 * added with weight 0 has no slots. Lookup: slot = hsiphash(sport + ntohl(saddr)) mod size of the client
 * address (port under `mh-port`, else 0); the slot's server is used if available, weight > 0 and not
 * OVERLOAD-flagged. `mh-fallback` then tries slots hash(addr, port, offset) for offset = ihash, ihash+1, …
 * (size tries, stopping at an empty slot). Lookup is O(1) while the slot's server is usable.
 */
class MaglevHashing implements Scheduler {
  readonly name = 'mh' as const;
  readonly #fallback: boolean;
  readonly #port: boolean;
  readonly #size: number;
  #table: Int32Array;
  #lastWeight = new Map<string, number>();

  constructor(options: SchedulerOptions) {
    this.#fallback = options.flags.has('mh-fallback');
    this.#port = options.flags.has('mh-port');
    this.#size = options.mhTableSize ?? MH_DEFAULT_TABLE_SIZE;
    if (!isMaglevTableSize(this.#size)) {
      throw new WebfarmError(
        'WF_ERR_SCHEDULER_OPTION',
        `mh table size ${this.#size} is not one of the kernel's primes (${MH_TABLE_SIZES.join(', ')})`,
      );
    }
    this.#table = new Int32Array(this.#size).fill(-1);
  }

  update(dests: readonly SchedDest[]): void {
    const next = new Map<string, number>();
    for (const d of dests) {
      const prev = this.#lastWeight.get(d.id);
      next.set(d.id, prev === undefined || d.weight !== 0 ? d.weight : prev);
    }
    this.#lastWeight = next;
    const weighted = dests.map((d) => ({
      address: d.address,
      port: d.port,
      lastWeight: next.get(d.id) ?? 0,
    }));
    this.#table = buildMaglevTable(weighted, this.#size);
  }

  pick(dests: readonly SchedDest[], flow: Flow): SchedDest | undefined {
    const port = this.#port ? flow.clientPort : 0;
    const ihash = maglevHash(flow.clientAddress, port, MH_KEY1, 0) % this.#size;
    const d = dests[this.#table[ihash] ?? -1];
    if (d === undefined) return undefined;
    if (isEligible(d)) return d;
    return this.#fallback ? this.#walk(dests, flow.clientAddress, port, ihash) : undefined;
  }

  /** ip_vs_mh_get_fallback's walk. Skipped when no server is usable at all: the walk would find none. */
  #walk(dests: readonly SchedDest[], address: string, port: number, ihash: number): SchedDest | undefined {
    if (!dests.some(isEligible)) return undefined;
    for (let offset = 0; offset < this.#size; offset++) {
      const roffset = (offset + ihash) % this.#size;
      const d = dests[this.#table[maglevHash(address, port, MH_KEY1, roffset) % this.#size] ?? -1];
      if (d === undefined) return undefined;
      if (isEligible(d)) return d;
    }
    return undefined;
  }
}

export const mh: SchedulerFactory = {
  name: 'mh',
  summary: 'Maglev hashing: consistent hashing of the client address (flags mh-fallback, mh-port)',
  flags: ['mh-fallback', 'mh-port'],
  create: (options) => new MaglevHashing(options),
};
