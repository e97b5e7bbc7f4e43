import { type CacheEntry, ExpiringTable } from './expiring-table.ts';
import { leastWeighted, wlcOverhead } from './least.ts';
import { findById, localityOverloaded } from './locality.ts';
import type { Flow, SchedDest, Scheduler, SchedulerFactory } from './scheduler.ts';

interface LblcEntry extends CacheEntry {
  destId: string;
}

/**
 * lblc — locality-based least-connection (kernel ip_vs_lblc.c), for cache clusters: a cache from the
 * packet's DESTINATION address (the flow's virtual address) to a server. A cache hit (its lastUse refreshed)
 * is used while that server is in the list, available, weight > 0 and not "locality-overloaded"
 * (locality.ts). Note the kernel does not test the OVERLOAD flag on a hit. Otherwise the wlc choice is
 * taken and cached (replacing the entry's server). Entries expire as expiring-table.ts describes.
 */
class LocalityLeastConnection implements Scheduler {
  readonly name = 'lblc' as const;
  readonly #table = new ExpiringTable<LblcEntry>();

  /** The kernel has no add/del/upd hook for lblc: entries survive list changes and are checked on use. */
  update(_dests: readonly SchedDest[]): void {}

  pick(dests: readonly SchedDest[], flow: Flow): SchedDest | undefined {
    this.#table.advance(flow.nowMs);
    const en = this.#table.get(flow.virtualAddress);
    if (en) {
      en.lastUse = flow.nowMs;
      const d = findById(dests, en.destId);
      if (d?.available && d.weight > 0 && !localityOverloaded(d, dests)) return d;
    }
    const dest = leastWeighted(dests, wlcOverhead);
    if (!dest) return undefined;
    if (en) en.destId = dest.id;
    else this.#table.add({ address: flow.virtualAddress, lastUse: flow.nowMs, destId: dest.id });
    return dest;
  }
}

export const lblc: SchedulerFactory = {
  name: 'lblc',
  summary: 'locality-based least-connection: a cached server per destination address',
  flags: [],
  create: () => new LocalityLeastConnection(),
};
