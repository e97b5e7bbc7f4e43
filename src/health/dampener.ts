import type { ProbeResult } from './probe.ts';

/**
 * Damping of probe results (HAProxy rise/fall, ldirectord failurecount, seed-system §3.6). Pure.
 *
 * - `unknown`: never checked. Counts as DOWN (a server never seen healthy gets no traffic). Its first
 *   result decides at once: success → up, failure → down (as ldirectord's start, where one round adds
 *   the servers that answer).
 * - `up`: `fails` consecutive failures so far (0 ≤ fails < fall). The `fall`-th consecutive failure takes
 *   it down; any success resets the count. Failures below the threshold are "soft failures".
 * - `down`: `oks` consecutive successes so far (0 ≤ oks < rise). The `rise`-th takes it up; any failure
 *   resets the count.
 */
export type DampState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'up'; readonly fails: number }
  | { readonly kind: 'down'; readonly oks: number };

export interface DampParams {
  /** Consecutive failures that take an up server down (≥ 1). */
  readonly fall: number;
  /** Consecutive successes that bring a down server up (≥ 1). */
  readonly rise: number;
}

export type DampEvent =
  | { readonly kind: 'up' }
  | { readonly kind: 'down' }
  /** A failure below the threshold: "Soft failure count/of". */
  | { readonly kind: 'soft-failure'; readonly count: number; readonly of: number }
  /** A success while down, below the threshold: "Soft success count/of". */
  | { readonly kind: 'soft-success'; readonly count: number; readonly of: number }
  /** Nothing to report: success while up, failure while down, first failure of an unknown server. */
  | { readonly kind: 'steady' };

export interface DampStep {
  readonly state: DampState;
  /** The effective health (`healthOf`) changed. */
  readonly changed: boolean;
  readonly event: DampEvent;
}

export const UNKNOWN: DampState = { kind: 'unknown' };
export const UP: DampState = { kind: 'up', fails: 0 };
export const DOWN: DampState = { kind: 'down', oks: 0 };

/** Up or down as the director sees it; unknown counts as down. */
export function healthOf(s: DampState): 'up' | 'down' {
  return s.kind === 'up' ? 'up' : 'down';
}

/** The state a check starts in: recorded health (state file) first, else up with `start_up`, else unknown. */
export function initialState(recorded: 'up' | 'down' | undefined, startUp: boolean): DampState {
  if (recorded === 'up') return UP;
  if (recorded === 'down') return DOWN;
  return startUp ? UP : UNKNOWN;
}

export function step(s: DampState, result: Pick<ProbeResult, 'ok'>, p: DampParams): DampStep {
  const ok = result.ok;
  switch (s.kind) {
    case 'unknown':
      return ok ? to(UP, true, { kind: 'up' }) : to(DOWN, false, { kind: 'steady' });
    case 'up': {
      if (ok) return to(UP, false, { kind: 'steady' });
      const fails = s.fails + 1;
      if (fails >= p.fall) return to(DOWN, true, { kind: 'down' });
      return to({ kind: 'up', fails }, false, { kind: 'soft-failure', count: fails, of: p.fall });
    }
    case 'down': {
      if (!ok) return to(DOWN, false, { kind: 'steady' });
      const oks = s.oks + 1;
      if (oks >= p.rise) return to(UP, true, { kind: 'up' });
      return to({ kind: 'down', oks }, false, { kind: 'soft-success', count: oks, of: p.rise });
    }
  }
}

function to(state: DampState, changed: boolean, event: DampEvent): DampStep {
  return { state, changed, event };
}
