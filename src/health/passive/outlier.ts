import type { PassiveHealthSpec } from '../../director/virtual-service.ts';

/**
 * Passive health of one real server: consecutive-failure outlier ejection (Envoy outlier detection,
 * consecutive_5xx for TCP; docs/passive-health.md). Pure: time arrives as `nowMs` (monotonic ms), the
 * pool size as numbers; the driver (outlier-detector.ts) owns timers and the director.
 *
 * - `failure` while healthy: count it; at `consecutiveFailures` the server is ejected for
 *   base × times ejected (capped at max), unless that would put more than `maxEjectionPercent` of the
 *   service's servers out (then it stays in and keeps counting: the next failure asks again).
 * - `success` while healthy: the count restarts at 0.
 * - While ejected, outcomes are ignored: they belong to attempts started before the ejection.
 * - `tick` at or after the deadline: back in service with a count of 0.
 * - Forgiveness: each full base ejection time spent back in service takes one off `timesEjected`
 *   (Envoy decrements its multiplier while the host stays healthy), applied at the next ejection.
 */
export type FailureKind = 'connect-refused' | 'connect-timeout' | 'reset';

export type OutlierState =
  | {
      readonly kind: 'healthy';
      readonly failures: number;
      readonly timesEjected: number;
      /** When the server last came back (for forgiveness); 0 if never ejected. */
      readonly sinceMs: number;
    }
  | { readonly kind: 'ejected'; readonly untilMs: number; readonly timesEjected: number };

export const INITIAL_OUTLIER_STATE: OutlierState = {
  kind: 'healthy',
  failures: 0,
  timesEjected: 0,
  sinceMs: 0,
};

/** The service's servers right now: how many are ejected (not counting this one) and how many in all. */
export interface Pool {
  readonly ejected: number;
  readonly total: number;
}

export type OutlierInput =
  | { readonly type: 'success'; readonly nowMs: number }
  | { readonly type: 'failure'; readonly kind: FailureKind; readonly nowMs: number; readonly pool: Pool }
  | { readonly type: 'tick'; readonly nowMs: number };

export type OutlierEffect =
  | { readonly type: 'none' }
  | {
      readonly type: 'ejected';
      readonly reason: FailureKind;
      readonly failures: number;
      readonly timesEjected: number;
      readonly durationMs: number;
      readonly untilMs: number;
    }
  /** Threshold reached, ejection refused by the cap; reported once per run of failures. */
  | { readonly type: 'capped'; readonly failures: number; readonly ejected: number; readonly total: number }
  | { readonly type: 'returned' };

export interface OutlierStep {
  readonly state: OutlierState;
  readonly effect: OutlierEffect;
}

const NONE: OutlierEffect = { type: 'none' };

/** The one transition function. */
export function outlierStep(spec: PassiveHealthSpec, s: OutlierState, input: OutlierInput): OutlierStep {
  if (s.kind === 'ejected') {
    if (input.type === 'tick' && input.nowMs >= s.untilMs) {
      const back: OutlierState = {
        kind: 'healthy',
        failures: 0,
        timesEjected: s.timesEjected,
        sinceMs: s.untilMs,
      };
      return { state: back, effect: { type: 'returned' } };
    }
    return { state: s, effect: NONE };
  }
  if (input.type === 'tick') return { state: s, effect: NONE };
  if (input.type === 'success') {
    return { state: s.failures === 0 ? s : { ...s, failures: 0 }, effect: NONE };
  }
  const failures = s.failures + 1;
  if (failures < spec.consecutiveFailures) return { state: { ...s, failures }, effect: NONE };
  if (!ejectionAllowed(spec, input.pool)) {
    const effect: OutlierEffect =
      failures === spec.consecutiveFailures
        ? { type: 'capped', failures, ejected: input.pool.ejected, total: input.pool.total }
        : NONE;
    return { state: { ...s, failures }, effect };
  }
  const timesEjected = Math.min(forgiven(spec, s, input.nowMs) + 1, maxMultiplier(spec));
  const durationMs = Math.min(spec.baseEjectionMs * timesEjected, spec.maxEjectionMs);
  const untilMs = input.nowMs + durationMs;
  return {
    state: { kind: 'ejected', untilMs, timesEjected },
    effect: { type: 'ejected', reason: input.kind, failures, timesEjected, durationMs, untilMs },
  };
}

/** Envoy's cap: eject only if the ejected share, this server included, stays ≤ maxEjectionPercent. */
export function ejectionAllowed(spec: PassiveHealthSpec, pool: Pool): boolean {
  return pool.total > 0 && 100 * (pool.ejected + 1) <= spec.maxEjectionPercent * pool.total;
}

/** timesEjected after forgiveness: one off per full base ejection time back in service. */
function forgiven(spec: PassiveHealthSpec, s: OutlierState & { kind: 'healthy' }, nowMs: number): number {
  if (s.timesEjected === 0 || spec.baseEjectionMs <= 0) return s.timesEjected;
  const periods = Math.floor((nowMs - s.sinceMs) / spec.baseEjectionMs);
  return Math.max(0, s.timesEjected - periods);
}

/** The multiplier stops growing once base × n reaches the max (so forgiveness is not swallowed). */
function maxMultiplier(spec: PassiveHealthSpec): number {
  if (spec.baseEjectionMs <= 0) return 1;
  return Math.max(1, Math.ceil(spec.maxEjectionMs / spec.baseEjectionMs));
}

/**
 * Defaults (docs/passive-health.md): Envoy's 5 failures, 30 s base, 300 s max; but 50 % rather than
 * Envoy's 10 %, because in an L4 pool of 2–9 servers 10 % would never allow a single ejection.
 */
export const PASSIVE_DEFAULTS: PassiveHealthSpec = {
  consecutiveFailures: 5,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectionPercent: 50,
};

/** Config-time validation: problems as `field: message` (empty = valid). */
export function passiveSpecProblems(spec: PassiveHealthSpec): string[] {
  const out: string[] = [];
  const { consecutiveFailures: n, baseEjectionMs: base, maxEjectionMs: max, maxEjectionPercent: pct } = spec;
  if (!Number.isInteger(n) || n < 1) out.push(`consecutive_failures: ${n} must be an integer ≥ 1`);
  if (!Number.isFinite(base) || base <= 0) out.push(`base_ejection_time: ${base} ms must be > 0`);
  if (!Number.isFinite(max) || max < base)
    out.push(`max_ejection_time: ${max} ms must be ≥ base_ejection_time`);
  if (!Number.isFinite(pct) || pct < 0 || pct > 100) out.push(`max_ejection_percent: ${pct} must be 0..100`);
  return out;
}
