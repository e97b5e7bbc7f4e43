/** Summary of repeated rounds: the median and the range. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median, min: s[0] as number, max: s[s.length - 1] as number, n: s.length };
}

/** a / b of two medians, undefined when either is missing or b is 0. */
export function ratio(a: Summary | undefined, b: Summary | undefined): number | undefined {
  if (!a || !b || b.median === 0) return undefined;
  return a.median / b.median;
}
