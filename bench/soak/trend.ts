/**
 * Trend arithmetic of the soak report, pure. Samples are (seconds since start, value).
 *
 * RSS flat (the pass rule, fixed before any run): over the samples after the warm-up, either the
 * least-squares slope is at most MAX_RSS_SLOPE_MIB_PER_MIN, or the mean of the last quarter is no higher
 * than the highest value of the first quarter (growth that stays under an earlier peak is GC and
 * allocator breathing, not a leak). A leak fails both: it climbs steadily and ends above every early peak.
 *
 * No fd leak: once load and faults have stopped and every real server is back, the director's open fd
 * count returns to at most FD_TOLERANCE above the baseline taken before the load started (the tolerance
 * covers health-check connections in flight at the moment of the sample).
 */
export const MAX_RSS_SLOPE_MIB_PER_MIN = 2;
export const FD_TOLERANCE = 2;

export interface Sample {
  readonly t: number;
  readonly v: number;
}

/** Least-squares slope, value units per second; 0 with fewer than two distinct times. */
export function slope(s: readonly Sample[]): number {
  const n = s.length;
  if (n < 2) return 0;
  const mt = s.reduce((a, x) => a + x.t, 0) / n;
  const mv = s.reduce((a, x) => a + x.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of s) {
    num += (x.t - mt) * (x.v - mv);
    den += (x.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function mean(s: readonly Sample[]): number {
  return s.length === 0 ? Number.NaN : s.reduce((a, x) => a + x.v, 0) / s.length;
}

/** First and last quarter (at least one sample each when there is any). */
export function quarters(s: readonly Sample[]): { first: Sample[]; last: Sample[] } {
  const q = Math.max(1, Math.floor(s.length / 4));
  return { first: s.slice(0, q), last: s.slice(-q) };
}

export interface RssVerdict {
  readonly pass: boolean;
  readonly slopeMiBPerMin: number;
  readonly firstQuarterMeanMiB: number;
  readonly firstQuarterMaxMiB: number;
  readonly lastQuarterMeanMiB: number;
  readonly samples: number;
}

/** `rss` in bytes, after the warm-up. */
export function rssVerdict(rss: readonly Sample[]): RssVerdict {
  const mib = rss.map((x) => ({ t: x.t, v: x.v / 2 ** 20 }));
  const { first, last } = quarters(mib);
  const slopeMiBPerMin = slope(mib) * 60;
  const firstQuarterMaxMiB = Math.max(...first.map((x) => x.v));
  const lastQuarterMeanMiB = mean(last);
  return {
    pass:
      mib.length >= 4 &&
      (slopeMiBPerMin <= MAX_RSS_SLOPE_MIB_PER_MIN || lastQuarterMeanMiB <= firstQuarterMaxMiB),
    slopeMiBPerMin,
    firstQuarterMeanMiB: mean(first),
    firstQuarterMaxMiB,
    lastQuarterMeanMiB,
    samples: mib.length,
  };
}

export function fdVerdict(
  baseline: number,
  final: number,
): { pass: boolean; baseline: number; final: number } {
  return { pass: final <= baseline + FD_TOLERANCE, baseline, final };
}
