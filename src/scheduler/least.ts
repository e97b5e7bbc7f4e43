import { connOverhead, type SchedDest } from './scheduler.ts';

/**
 * The kernel's weighted-least-load walk (ip_vs_wlc.c, ip_vs_sed.c, and the fallback inside lblc/lblcr):
 * start with the first server that is not OVERLOAD-flagged and has weight > 0, then replace it only when a
 * later server is strictly lighter, compared cross-multiplied (`loh * w_d > doh * w_least`). A later server
 * with weight 0 can never win that comparison, so it needs no explicit test. Unavailable servers (health
 * down, maintenance, or already failed for this connection) are skipped like OVERLOAD ones: the kernel
 * would not have them in its list at all.
 */
export function leastWeighted(
  dests: readonly SchedDest[],
  overhead: (d: SchedDest) => number,
): SchedDest | undefined {
  let least: SchedDest | undefined;
  let loh = 0;
  for (const d of dests) {
    if (d.overloaded || !d.available) continue;
    if (least === undefined) {
      if (d.weight <= 0) continue;
      least = d;
      loh = overhead(d);
      continue;
    }
    const doh = overhead(d);
    if (loh * d.weight > doh * least.weight) {
      least = d;
      loh = doh;
    }
  }
  return least;
}

/** wlc's overhead: `activeconns * 256 + inactconns`. */
export const wlcOverhead = connOverhead;

/** sed's (and nq's) overhead: `activeconns + 1`, the expected delay numerator. */
export function sedOverhead(d: SchedDest): number {
  return d.activeConns + 1;
}
