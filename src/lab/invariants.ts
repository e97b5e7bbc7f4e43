import type { OwnerSample, RequestOutcome, RunRecord, StepRecord } from './observations.ts';
import type { Expect } from './scenario-schema.ts';

/**
 * The lab's judgement of one run (pure). Each step owns the interval from its fault to the next step's
 * (the last one: to the end of the run). Invariants, checked over every sample, not only at the end:
 * - at most one VIP owner once `settle` (or the step's `within`, when longer) has passed;
 * - the owner the step expects, reached within its bound (failover time = first moment from which every
 *   later sample of the interval has that owner);
 * - no request failed after the settle point (losses only inside the documented window), at most
 *   `failed_max` in all; a failed request counts in the step during which it ended if a fault came while
 *   it was in flight (the request was started before that fault, its failure may be the fault's);
 * - after the settle point, answers only from `served_by`; no connection accepted by `no_conns_on`;
 * - after the settle point, no client connection forwarded by a director that does not hold the address
 *   (RunRecord.via: a killed director's kernel rules still forward for whoever still sends to it);
 * - a reload step's `webfarm reload` exit codes (rejected ⇔ non-zero).
 */

export interface StepOutcome {
  readonly name: string;
  /** ms from the fault to a stable expected owner; undefined when no owner was expected or never reached. */
  readonly failoverMs: number | undefined;
  readonly requests: number;
  readonly failed: number;
  readonly splitBrainMs: number;
  /** Client connections each director forwarded in the interval (RunRecord.via); empty when not observed. */
  readonly via: Readonly<Record<string, number>>;
  /** Owners at the end of the interval. */
  readonly ownersAfter: readonly string[];
  readonly problems: readonly string[];
  readonly pass: boolean;
}

export interface JudgeStep {
  readonly record: StepRecord;
  readonly expect: Expect;
}

export function judgeRun(run: RunRecord, steps: readonly JudgeStep[], settleMs: number): StepOutcome[] {
  return steps.map((s, i) => {
    const end = steps[i + 1]?.record.t ?? run.end;
    return judgeStep(run, s, end, settleMs);
  });
}

export function judgeStep(run: RunRecord, step: JudgeStep, end: number, settleMs: number): StepOutcome {
  const { record: r, expect: e } = step;
  const t0 = r.t;
  const settleAt = t0 + Math.max(settleMs, e.within ?? 0);
  const samples = run.samples.filter((s) => s.t >= t0 && s.t < end);
  const problems: string[] = [];
  if (r.error !== undefined) problems.push(`fault not applied: ${r.error}`);

  const splitBrainMs = twoOwnerTime(samples, end);
  const late = samples.find((s) => s.t >= settleAt && s.owners.length > 1);
  if (late)
    problems.push(
      `${late.owners.join('+')} both held the VIP ${late.t - t0} ms after the fault (settle ${settleAt - t0} ms)`,
    );
  if (e.split_brain_max !== undefined && splitBrainMs > e.split_brain_max)
    problems.push(`split brain ${splitBrainMs} ms > ${e.split_brain_max} ms`);

  let failoverMs: number | undefined;
  const want = e.owner === undefined ? undefined : expectedOwners(e.owner, r.before);
  if (want !== undefined && e.owner !== undefined) {
    const from = stableFrom(samples, want);
    const reached = from === undefined ? undefined : Math.max(0, from - t0);
    // A failover time only when the owner is to change; `same` is checked but reports none.
    failoverMs = e.owner === 'same' ? undefined : reached;
    const bound = e.within ?? settleMs;
    const last = samples.at(-1)?.owners ?? [];
    if (reached === undefined)
      problems.push(
        `owner never settled on ${describeOwners(e.owner, r.before)} (last: ${describeList(last)})`,
      );
    else if (reached > bound) problems.push(`owner ${describeList(last)} after ${reached} ms > ${bound} ms`);
  }

  if (e.takeover_within !== undefined) {
    const taken = samples.find((x) => x.owners.some((o) => !r.before.includes(o)));
    failoverMs = taken === undefined ? undefined : taken.t - t0;
    if (failoverMs === undefined) problems.push('no other director took the address');
    else if (failoverMs > e.takeover_within)
      problems.push(`taken over after ${failoverMs} ms > ${e.takeover_within} ms`);
  }

  const requests = run.requests.filter((q) => q.t >= t0 && q.t < end);
  // A failed request belongs to the step whose fault it saw: one still in flight when the next fault was
  // applied (e.g. reset by it) is the next step's, at the start of that step's window.
  const failed = run.requests.filter((q) => !q.ok && inFlightStep(q, t0, end, end >= run.end));
  const lateFail = failed.find((q) => q.t >= settleAt);
  if (lateFail) problems.push(`request at +${lateFail.t - t0} ms failed after the window (${lateFail.body})`);
  if (e.failed_max !== undefined && failed.length > e.failed_max)
    problems.push(`${failed.length} requests failed > ${e.failed_max}`);
  if (e.served_by !== undefined) {
    const bad = requests.find((q) => q.ok && q.t >= settleAt && !e.served_by?.includes(q.body));
    if (bad)
      problems.push(`answered by "${bad.body}" at +${bad.t - t0} ms, expected ${e.served_by.join('|')}`);
  }
  if (e.no_conns_on !== undefined) {
    const who = resolveHost(e.no_conns_on, r);
    const conn = run.conns.find((c) => c.host === who && c.t >= settleAt && c.t < end);
    if (conn) problems.push(`${who} accepted a connection at +${conn.t - t0} ms, after its detection bound`);
  }
  const via = forwarded(run, t0, end);
  const stray = strayForwarding(run, t0, settleAt, end);
  if (stray) problems.push(stray);
  if (r.reloadCodes !== undefined) {
    const rejected = e.reload_rejected === true;
    const wrong = r.reloadCodes.filter((c) => (c === 0) === rejected).length;
    if (wrong > 0)
      problems.push(
        `${wrong}/${r.reloadCodes.length} reloads ${rejected ? 'accepted, expected rejected' : 'failed'}`,
      );
  }
  return {
    name: r.name,
    failoverMs,
    requests: requests.length,
    failed: failed.length,
    splitBrainMs,
    via,
    ownersAfter: samples.at(-1)?.owners ?? [],
    problems,
    pass: problems.length === 0,
  };
}

/** Connections each director forwarded between the via samples nearest `from` and `to` (only growth). */
export function forwarded(run: RunRecord, from: number, to: number): Record<string, number> {
  const via = run.via ?? [];
  const first = [...via].reverse().find((v) => v.t <= from) ?? via.find((v) => v.t >= from);
  const last = [...via].reverse().find((v) => v.t <= to);
  const out: Record<string, number> = {};
  if (first === undefined || last === undefined || last.t <= first.t) return out;
  for (const [d, n] of Object.entries(last.conns)) {
    const grew = n - (first.conns[d] ?? 0);
    if (grew > 0) out[d] = grew;
  }
  return out;
}

/**
 * The first via interval wholly after `settleAt` (and before `end`) in which a director forwarded client
 * connections while holding no address in any owner sample from 200 ms before the interval to 200 ms
 * after it (a counter is read some ms after its sample time); undefined when there is none.
 */
export function strayForwarding(
  run: RunRecord,
  t0: number,
  settleAt: number,
  end: number,
): string | undefined {
  const via = run.via ?? [];
  for (let i = 1; i < via.length; i++) {
    const a = via[i - 1] as (typeof via)[number];
    const b = via[i] as (typeof via)[number];
    if (a.t < settleAt || b.t >= end) continue;
    const holders = new Set(
      run.samples.filter((s) => s.t >= a.t - SLACK_MS && s.t <= b.t + SLACK_MS).flatMap((s) => s.owners),
    );
    for (const [d, n] of Object.entries(b.conns)) {
      const grew = n - (a.conns[d] ?? 0);
      if (grew > 0 && !holders.has(d))
        return `${d} forwarded ${grew} client connection(s) at +${a.t - t0}..${b.t - t0} ms without holding the address`;
    }
  }
  return undefined;
}

/** How far around a via interval owner samples count (a counter read lags its sample time). */
const SLACK_MS = 200;

/**
 * Whether failed request `q` is judged in the step [t0, end): started in it and ended by `end` (or the
 * step is the last), or started before `t0` and ended in it.
 */
function inFlightStep(q: RequestOutcome, t0: number, end: number, last: boolean): boolean {
  const done = q.t + q.ms;
  if (q.t >= t0 && q.t < end) return done <= end || last;
  return q.t < t0 && done > t0 && done <= end;
}

/** The owner set a step expects, given the owners before it; undefined = cannot be met (`other` of not one). */
export function expectedOwners(
  owner: string,
  before: readonly string[],
): ((o: readonly string[]) => boolean) | undefined {
  switch (owner) {
    case 'same':
      return (o) => sameSet(o, before);
    case 'none':
      return (o) => o.length === 0;
    case 'other':
      return (o) => o.length === 1 && !before.includes(o[0] as string) && before.length > 0;
    default:
      return (o) => o.length === 1 && o[0] === owner;
  }
}

/** Time of the first sample from which every later sample satisfies `ok`. */
export function stableFrom(
  samples: readonly OwnerSample[],
  ok: (o: readonly string[]) => boolean,
): number | undefined {
  let from: number | undefined;
  for (const s of samples) {
    if (!ok(s.owners)) from = undefined;
    else if (from === undefined) from = s.t;
  }
  return from;
}

/** Total time two or more owners held the VIP: each sample counts until the next (the last until `end`). */
export function twoOwnerTime(samples: readonly OwnerSample[], end: number): number {
  let ms = 0;
  samples.forEach((s, i) => {
    if (s.owners.length > 1) ms += (samples[i + 1]?.t ?? end) - s.t;
  });
  return ms;
}

function resolveHost(name: string, r: StepRecord): string {
  return name === 'last' || name === 'active' ? (r.target ?? name) : name;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function describeOwners(owner: string, before: readonly string[]): string {
  if (owner === 'same') return describeList(before);
  if (owner === 'other') return `a director other than ${describeList(before)}`;
  return owner;
}

function describeList(o: readonly string[]): string {
  return o.length === 0 ? 'nobody' : o.join('+');
}

export type { RequestOutcome };
