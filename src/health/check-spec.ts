import { PROBE_TYPES, type ProbeSettings, type ProbeType } from './probe.ts';

/**
 * One service's check, fully resolved (durations in ms, defaults applied): what the monitor runs against
 * each of the service's real servers. Built by config/to-director.ts or by code (demo farm, tests).
 */
export interface CheckSpec {
  readonly type: ProbeType;
  /** Start-to-start period of one check (ldirectord checkinterval). */
  readonly intervalMs: number;
  /** The probe is aborted and counted as a failure after this long (checktimeout or negotiatetimeout). */
  readonly timeoutMs: number;
  /** Consecutive failures to go down (ldirectord failurecount, HAProxy fall). */
  readonly fall: number;
  /** Consecutive successes to come back up (HAProxy rise). */
  readonly rise: number;
  /** ldirectord checkport; absent = the real server's own port. */
  readonly port?: number;
  readonly settings: ProbeSettings;
}

/** Probe types that speak a protocol (ldirectord "negotiate" checks): they use the negotiate timeout. */
export const NEGOTIATE_TYPES: ReadonlySet<ProbeType> = new Set<ProbeType>(
  PROBE_TYPES.filter((t) => !['connect', 'external', 'none', 'on', 'off'].includes(t)),
);

export interface CheckTiming {
  readonly intervalMs: number;
  readonly checkTimeoutMs: number;
  readonly negotiateTimeoutMs: number;
  readonly fall: number;
  readonly rise: number;
}

/**
 * webfarm's defaults: a dead server is down within fall × interval + timeout = 2 × 300 + 300 = 900 ms
 * (docs/health.md "Default timings" gives the reasoning). timeout ≤ interval keeps that bound exact.
 */
export const WEBFARM_TIMING: CheckTiming = {
  intervalMs: 300,
  checkTimeoutMs: 300,
  negotiateTimeoutMs: 300,
  fall: 2,
  rise: 2,
};

/** ldirectord's own defaults (checkinterval 10, checktimeout 5, negotiatetimeout 30, failurecount 1). */
export const LDIRECTORD_TIMING: CheckTiming = {
  intervalMs: 10_000,
  checkTimeoutMs: 5_000,
  negotiateTimeoutMs: 30_000,
  fall: 1,
  rise: 1,
};

/**
 * The timeout a check of `type` uses. As ldirectord: checktimeout and negotiatetimeout default to each
 * other when only one is given, then to the defaults; negotiate types use the negotiate timeout.
 */
export function effectiveTimeout(
  type: ProbeType,
  given: { readonly timeoutMs?: number | undefined; readonly negotiateTimeoutMs?: number | undefined },
  defaults: CheckTiming,
): number {
  if (NEGOTIATE_TYPES.has(type))
    return given.negotiateTimeoutMs ?? given.timeoutMs ?? defaults.negotiateTimeoutMs;
  return given.timeoutMs ?? given.negotiateTimeoutMs ?? defaults.checkTimeoutMs;
}

/**
 * Worst-case time from a server's death to its down transition (docs/health.md "Detection bound"): checks
 * start every max(interval, timeout) at most (monitor.ts runs them start-to-start, never overlapping), the
 * `fall`-th failing check starts at most fall × that after the death and ends within `timeout`.
 * With timeout ≤ interval: fall × interval + timeout.
 */
export function detectionBoundMs(spec: Pick<CheckSpec, 'intervalMs' | 'timeoutMs' | 'fall'>): number {
  return spec.fall * Math.max(spec.intervalMs, spec.timeoutMs) + spec.timeoutMs;
}
