import { DestSet } from './dest-set.ts';
import { type CacheEntry, ExpiringTable } from './expiring-table.ts';
import { leastWeighted, wlcOverhead } from './least.ts';
import { localityOverloaded } from './locality.ts';
import type { Flow, SchedDest, Scheduler, SchedulerFactory } from './scheduler.ts';

interface LblcrEntry extends CacheEntry {
  readonly set: DestSet;
}

/**
 * lblcr — locality-based least-connection with replication (kernel ip_vs_lblcr.c): each DESTINATION address
 * (the flow's virtual address) maps to a set of servers. On a hit: n = the set's least weighted-loaded
 * usable member (dest-set.ts); then, if the set has more than one member and has not changed for the
 * expiration (24 h, `now > lastMod + expiration`), its most loaded member is erased (n is still returned
 * even if it was the one erased). If n is missing or locality-overloaded (locality.ts), the wlc choice is
 * added to the set and returned. On a miss the wlc choice starts a new set. Entries expire as
 * expiring-table.ts describes.
 */
class LocalityLeastConnectionReplicated implements Scheduler {
  readonly name = 'lblcr' as const;
  readonly #table = new ExpiringTable<LblcrEntry>();

  /** Members that left the list leave every set (a deviation: the kernel keeps them, unusable). */
  update(dests: readonly SchedDest[]): void {
    const present = new Set(dests.map((d) => d.id));
    for (const en of this.#table.values()) en.set.retain(present);
  }

  pick(dests: readonly SchedDest[], flow: Flow): SchedDest | undefined {
    const now = flow.nowMs;
    this.#table.advance(now);
    const en = this.#table.get(flow.virtualAddress);
    if (!en) return this.#miss(dests, flow);
    en.lastUse = now;
    const set = en.set;
    const n = set.min(dests);
    if (set.size > 1 && now > set.lastMod + this.#table.expirationMs) {
      const m = set.max(dests);
      if (m) set.erase(m.id, now);
    }
    if (n && !localityOverloaded(n, dests)) return n;
    const dest = leastWeighted(dests, wlcOverhead);
    if (dest) set.insert(dest.id, now);
    return dest;
  }

  #miss(dests: readonly SchedDest[], flow: Flow): SchedDest | undefined {
    const dest = leastWeighted(dests, wlcOverhead);
    if (!dest) return undefined;
    const en: LblcrEntry = {
      address: flow.virtualAddress,
      lastUse: flow.nowMs,
      set: new DestSet(dest.id, flow.nowMs),
    };
    this.#table.add(en);
    return dest;
  }
}

export const lblcr: SchedulerFactory = {
  name: 'lblcr',
  summary: 'locality-based least-connection with replication: a server set per destination address',
  flags: [],
  create: () => new LocalityLeastConnectionReplicated(),
};
