import { WebfarmError } from '../../model/errors.ts';

/**
 * Membership timing (seed-system.md §2.3; docs/cluster.md "Timing"). All values are milliseconds.
 *
 * - keepalive: how often we send a status heartbeat on every medium.
 * - warntime:  an inter-arrival gap above this is reported as a late heartbeat.
 * - deadtime:  a node silent on EVERY link for longer than this is dead; per link the same rule gives link-dead.
 * - initdead:  at start, how long a node we have never heard from gets before it is declared dead.
 *
 * Defaults are chosen for sub-second failover (failover bound = deadtime + one check interval + takeover):
 * keepalive 100, warntime 250, deadtime 500 (five keepalives: four consecutive losses on every medium are
 * tolerated), initdead 2000 (room for the peer's process and links to come up after a cluster-wide boot).
 */
export interface Timing {
  readonly keepaliveMs: number;
  readonly warntimeMs: number;
  readonly deadtimeMs: number;
  readonly initdeadMs: number;
}

export const DEFAULT_TIMING: Timing = {
  keepaliveMs: 100,
  warntimeMs: 250,
  deadtimeMs: 500,
  initdeadMs: 2000,
};

export type TimingField = keyof Timing;

export interface TimingProblem {
  readonly field: TimingField;
  readonly message: string;
}

export type TimingCheck =
  | { readonly ok: true; readonly timing: Timing }
  | { readonly ok: false; readonly problems: readonly TimingProblem[] };

/**
 * Fill the unset fields and validate. When deadtime is given but warntime/initdead are not, they follow it
 * (warntime = deadtime / 2 as later heartbeat does, initdead = max(default, deadtime)) so a longer deadtime
 * alone stays valid. Rules, each problem naming its field:
 * - every value a positive integer number of milliseconds
 * - deadtime > 2 × keepalive (heartbeat refuses to start otherwise)
 * - keepalive < warntime < deadtime
 * - initdead ≥ deadtime
 */
export function checkTiming(input: Partial<Timing> = {}): TimingCheck {
  const t = withDefaults(input);
  const problems: TimingProblem[] = [];
  for (const field of ['keepaliveMs', 'warntimeMs', 'deadtimeMs', 'initdeadMs'] as const) {
    const v = t[field];
    if (!Number.isSafeInteger(v) || v <= 0) {
      problems.push({ field, message: `${field} must be a positive whole number of ms (got ${v})` });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (t.deadtimeMs <= 2 * t.keepaliveMs) {
    problems.push({
      field: 'deadtimeMs',
      message: `deadtimeMs (${t.deadtimeMs}) must be more than 2 × keepaliveMs (${2 * t.keepaliveMs})`,
    });
  }
  if (t.warntimeMs <= t.keepaliveMs || t.warntimeMs >= t.deadtimeMs) {
    problems.push({
      field: 'warntimeMs',
      message: `warntimeMs (${t.warntimeMs}) must be between keepaliveMs (${t.keepaliveMs}) and deadtimeMs (${t.deadtimeMs})`,
    });
  }
  if (t.initdeadMs < t.deadtimeMs) {
    problems.push({
      field: 'initdeadMs',
      message: `initdeadMs (${t.initdeadMs}) must be at least deadtimeMs (${t.deadtimeMs})`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, timing: t };
}

/** `checkTiming`, throwing WF_ERR_CLUSTER_TIMING with every problem (field first) in the message. */
export function resolveTiming(input: Partial<Timing> = {}): Timing {
  const c = checkTiming(input);
  if (c.ok) return c.timing;
  const text = c.problems.map((p) => p.message).join('; ');
  throw new WebfarmError('WF_ERR_CLUSTER_TIMING', `cluster timing: ${text}`);
}

/**
 * How often the membership loop checks for silence: half a keepalive, at most 50 ms. A death is reported
 * at most one check interval after its deadline.
 */
export function checkIntervalMs(t: Timing): number {
  return Math.max(1, Math.min(50, Math.floor(t.keepaliveMs / 2)));
}

function withDefaults(input: Partial<Timing>): Timing {
  const keepaliveMs = input.keepaliveMs ?? DEFAULT_TIMING.keepaliveMs;
  const deadtimeMs = input.deadtimeMs ?? DEFAULT_TIMING.deadtimeMs;
  const followDead = input.deadtimeMs !== undefined;
  const warntimeMs =
    input.warntimeMs ?? (followDead ? Math.floor(deadtimeMs / 2) : DEFAULT_TIMING.warntimeMs);
  const initdeadMs =
    input.initdeadMs ??
    (followDead ? Math.max(DEFAULT_TIMING.initdeadMs, deadtimeMs) : DEFAULT_TIMING.initdeadMs);
  return { keepaliveMs, warntimeMs, deadtimeMs, initdeadMs };
}
