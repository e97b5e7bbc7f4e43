import type { SchedDest } from './scheduler.ts';

/**
 * The lblc/lblcr "overloaded" test (kernel is_overloaded in ip_vs_lblc.c / ip_vs_lblcr.c), which is not the
 * OVERLOAD flag: `dest` has more active connections than its weight AND some server in the list (any, even
 * weight 0 or flagged) has `activeconns * 2 < weight`, i.e. is under half its weight.
 */
export function localityOverloaded(dest: SchedDest, dests: readonly SchedDest[]): boolean {
  if (dest.activeConns <= dest.weight) return false;
  for (const d of dests) if (d.activeConns * 2 < d.weight) return true;
  return false;
}

/** The entry of `dests` with this id, or undefined when it left the list (kernel: dest in the trash). */
export function findById(dests: readonly SchedDest[], id: string): SchedDest | undefined {
  for (const d of dests) if (d.id === id) return d;
  return undefined;
}
