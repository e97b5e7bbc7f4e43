import { BUCKET_BITS, fillBuckets, NO_DEST } from './bucket-table.ts';
import { foldAddress, hash32 } from './hash.ts';
import { isEligible, type Flow, type SchedDest, type Scheduler, type SchedulerFactory } from './scheduler.ts';

/**
 * dh — destination hashing (kernel ip_vs_dh.c): 256 buckets filled round robin with the servers in list
 * order, weights ignored. The bucket is `hash_32(ntohl(daddr), 8)` of the packet's destination address
 * (the flow's virtual address; IPv6 folded by XOR of its words). Its server is used only if available,
 * weight > 0 and not OVERLOAD-flagged; otherwise there is no server (no fallback). Lookup O(1).
 */
class DestinationHashing implements Scheduler {
  readonly name = 'dh' as const;
  #table: Int32Array = new Int32Array(0);

  update(dests: readonly SchedDest[]): void {
    this.#table = fillBuckets(dests, false);
  }

  pick(dests: readonly SchedDest[], flow: Flow): SchedDest | undefined {
    const at = this.#table[hash32(foldAddress(flow.virtualAddress), BUCKET_BITS)] ?? NO_DEST;
    const d = dests[at];
    return d !== undefined && isEligible(d) ? d : undefined;
  }
}

export const dh: SchedulerFactory = {
  name: 'dh',
  summary: 'destination hashing: a fixed server per destination address',
  flags: [],
  create: () => new DestinationHashing(),
};
