import type { SchedDest } from './scheduler.ts';

/** sh/dh tables have 2^8 buckets (kernel CONFIG_IP_VS_SH_TAB_BITS / CONFIG_IP_VS_DH_TAB_BITS default 8). */
export const BUCKET_BITS = 8;
export const BUCKET_COUNT = 1 << BUCKET_BITS;
export const BUCKET_MASK = BUCKET_COUNT - 1;

/** No server in the bucket (empty list). */
export const NO_DEST = -1;

/**
 * Fill 256 buckets with indices into `dests`, walking the list in order and wrapping (kernel
 * ip_vs_sh_reassign / ip_vs_dh_reassign). `weighted` (sh): a server keeps taking consecutive buckets until it
 * has `weight` of them in this round — a weight-0 server still gets one bucket, where lookups find it
 * unusable. Unweighted (dh): one bucket each per round. Availability and overload are not looked at here.
 */
export function fillBuckets(dests: readonly SchedDest[], weighted: boolean): Int32Array {
  const table = new Int32Array(BUCKET_COUNT).fill(NO_DEST);
  if (dests.length === 0) return table;
  let p = 0;
  let count = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) {
    table[b] = p;
    const w = weighted ? (dests[p] as SchedDest).weight : 1;
    if (++count >= w) {
      p = (p + 1) % dests.length;
      count = 0;
    }
  }
  return table;
}
