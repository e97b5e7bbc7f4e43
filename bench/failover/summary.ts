/** Distribution of a set of measurements (ms): what the failover tables show. Pure. */
export interface Distribution {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile (p in (0, 100]) of an ascending array; the smallest value s with ≥ p% at or below s. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function distribution(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return {
    n: s.length,
    median,
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1] as number,
  };
}

/** Inter-arrival gaps (ms) of ascending arrival times (ms): one fewer than the arrivals. */
export function gaps(arrivals: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < arrivals.length; i++) out.push((arrivals[i] as number) - (arrivals[i - 1] as number));
  return out;
}
