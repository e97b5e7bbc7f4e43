/**
 * Connection thresholds (ipvsadm -x/-y; kernel ip_vs_bind_dest / ip_vs_unbind_dest).
 * OVERLOAD is set once active+inactive ≥ upper (upper ≠ 0). It clears when the total falls below lower,
 * or below 3/4 of upper when lower is unset; with no upper threshold it is always clear.
 */
export interface ThresholdState {
  readonly overloaded: boolean;
  readonly upper: number;
  readonly lower: number;
  readonly total: number;
}

export function overloadAfter(s: ThresholdState): boolean {
  if (s.upper === 0) return false;
  if (s.total >= s.upper) return true;
  if (!s.overloaded) return false;
  if (s.lower !== 0) return s.total >= s.lower;
  return s.total * 4 >= s.upper * 3;
}
