import { findById } from './locality.ts';
import { connOverhead, type SchedDest } from './scheduler.ts';

/**
 * An lblcr server set (kernel struct ip_vs_dest_set): server ids, newest first (list_add at the head), and
 * the time of the last change. Members are resolved against the list passed to each pick; a member no longer
 * in the list is skipped.
 */
export class DestSet {
  readonly ids: string[] = [];
  lastMod: number;

  constructor(first: string, nowMs: number) {
    this.ids.push(first);
    this.lastMod = nowMs;
  }

  get size(): number {
    return this.ids.length;
  }

  /** ip_vs_dest_set_insert with check: add at the head unless present; a change stamps lastMod. */
  insert(id: string, nowMs: number): void {
    if (this.ids.includes(id)) return;
    this.ids.unshift(id);
    this.lastMod = nowMs;
  }

  /** ip_vs_dest_set_erase. */
  erase(id: string, nowMs: number): void {
    const i = this.ids.indexOf(id);
    if (i < 0) return;
    this.ids.splice(i, 1);
    this.lastMod = nowMs;
  }

  /** Drop members that left the list (called on update). Not a change: lastMod stays. */
  retain(present: ReadonlySet<string>): void {
    for (let i = this.ids.length - 1; i >= 0; i--)
      if (!present.has(this.ids[i] as string)) this.ids.splice(i, 1);
  }

  /**
   * ip_vs_dest_set_min: the first member not OVERLOAD-flagged with weight > 0 and available, then any later
   * member (not flagged, available) strictly lighter by `overhead / weight`, cross-multiplied.
   */
  min(dests: readonly SchedDest[]): SchedDest | undefined {
    let least: SchedDest | undefined;
    let loh = 0;
    for (const id of this.ids) {
      const d = findById(dests, id);
      if (!d || d.overloaded || !d.available) continue;
      if (least === undefined) {
        if (d.weight <= 0) continue;
        least = d;
        loh = connOverhead(d);
        continue;
      }
      const doh = connOverhead(d);
      if (loh * d.weight > doh * least.weight) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }

  /** ip_vs_dest_set_max: the most loaded member with weight > 0 (flags and availability not looked at). */
  max(dests: readonly SchedDest[]): SchedDest | undefined {
    let most: SchedDest | undefined;
    let moh = 0;
    for (const id of this.ids) {
      const d = findById(dests, id);
      if (!d || d.weight <= 0) continue;
      const doh = connOverhead(d);
      if (most === undefined || moh * d.weight < doh * most.weight) {
        most = d;
        moh = doh;
      }
    }
    return most;
  }
}
