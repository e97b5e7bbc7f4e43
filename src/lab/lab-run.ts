import { setTimeout as sleep } from 'node:timers/promises';
import { applyFault, resolveTarget } from './faults.ts';
import { judgeStep, type StepOutcome } from './invariants.ts';
import { LabFarm } from './lab-farm.ts';
import type { OwnerSample, RunRecord, StepRecord, ViaSample } from './observations.ts';
import type { Scenario, Step } from './scenario-schema.ts';

/**
 * Run a scenario end to end: build the farm, start the directors, sample VIP ownership every ~50 ms, the
 * connections each director forwarded every ~200 ms and the clients' outcomes continuously, apply the timeline at its times, judge every step (invariants.ts),
 * and tear everything down whatever happened (error, abort). The first row is the baseline (start to the
 * first fault: no failure, one owner); the last is the teardown (no namespace or process left).
 */

export interface LabRunOptions {
  readonly file: string;
  readonly scenario: Scenario;
  /** Aborting (Ctrl-C) stops the timeline; teardown still runs. */
  readonly signal?: AbortSignal;
  readonly progress?: (line: string) => void;
}

export interface LabResult {
  readonly scenario: string;
  readonly rows: StepOutcome[];
  readonly leaks: string[];
  readonly error?: string;
  readonly record: RunRecord;
  readonly pass: boolean;
  /** The directors' last log lines when the run did not pass. */
  readonly diagnostics?: string;
}

const SAMPLE_MS = 50;
/** How often the per-director connection counters (RunRecord.via) are read. */
const VIA_MS = 200;

export async function runLab(o: LabRunOptions): Promise<LabResult> {
  const s = o.scenario;
  const say = o.progress ?? (() => {});
  const farm = new LabFarm(s, o.file);
  const samples: OwnerSample[] = [];
  const steps: StepRecord[] = [];
  const via: ViaSample[] = [];
  let sampling = true;
  let sampler: Promise<void> = Promise.resolve();
  let viaSampler: Promise<void> = Promise.resolve();
  let start = Date.now();
  let end = start;
  let error: string | undefined;
  try {
    say(`building ${s.hosts.length} hosts (namespaces ${farm.topo.prefix}*)`);
    await farm.build();
    for (const d of farm.directors) await farm.startDirector(d, s.startup);
    sampler = (async () => {
      while (sampling) {
        const t = Date.now();
        const held = await farm.owners(s.vip).catch(() => ({ owners: [], stale: [] }));
        samples.push({ t, owners: held.owners, ...(held.stale.length > 0 ? { stale: held.stale } : {}) });
        await sleep(Math.max(0, SAMPLE_MS - (Date.now() - t)));
      }
    })();
    viaSampler = (async () => {
      while (sampling) {
        const t = Date.now();
        try {
          const conns = await farm.via();
          if (conns === undefined) return; // no direct-routing real server: nothing to count
          via.push({ t, conns });
        } catch {} // a read that failed (a busy machine): the next one covers the interval
        await sleep(Math.max(0, VIA_MS - (Date.now() - t)));
      }
    })();
    await until(() => samples.at(-1)?.owners.length === 1, s.startup, 'one owner of the VIP', o.signal);
    say(`owner: ${samples.at(-1)?.owners.join('')}; starting clients and the timeline`);
    farm.startClients();
    start = Date.now();
    steps.push({ name: 'baseline', t: start, before: samples.at(-1)?.owners ?? [] });
    let last: string | undefined;
    for (const step of s.timeline) {
      await sleep(Math.max(0, start + step.at - Date.now()), undefined, { signal: o.signal });
      const before = samples.at(-1)?.owners ?? [];
      const t = Date.now();
      const rec = await applyStep(farm, step, { t, before, last, startupMs: s.startup });
      last = rec.target ?? last;
      steps.push(rec);
      say(
        `+${((t - start) / 1000).toFixed(1)}s ${step.name}${rec.error ? ` (not applied: ${rec.error})` : ''}`,
      );
    }
    await sleep(s.tail, undefined, { signal: o.signal });
  } catch (e) {
    error = o.signal?.aborted ? 'interrupted' : (e as Error).message;
  } finally {
    end = Date.now();
    await farm.web.stopClients().catch(() => {});
    sampling = false;
    await sampler;
    await viaSampler;
  }
  const diagnostics = farm.diagnostics();
  const leaks = await farm.destroy();
  const paths = new Set(s.hosts.flatMap((h) => (h.role === 'client' ? [new URL(h.target).pathname] : [])));
  const record: RunRecord = {
    start,
    end,
    samples,
    requests: farm.web.requests.filter((q) => q.t >= start),
    conns: farm.web.conns.filter((c) => paths.has(c.path)),
    steps,
    via,
  };
  const expects = [{}, ...s.timeline.map((t) => t.expect)];
  const rows = steps.map((rec, i) =>
    judgeStep(
      record,
      { record: rec, expect: expects[i] ?? {} },
      steps[i + 1]?.t ?? end,
      i === 0 ? 0 : s.settle,
    ),
  );
  rows.push(teardownRow(leaks));
  const pass = error === undefined && rows.every((r) => r.pass) && steps.length === s.timeline.length + 1;
  return {
    scenario: s.name,
    rows,
    leaks,
    ...(error === undefined ? {} : { error }),
    record,
    pass,
    ...(pass ? {} : { diagnostics }),
  };
}

/** Apply a step's fault and its `also` faults, in order; the first that cannot be applied ends it. */
async function applyStep(
  farm: LabFarm,
  step: Step,
  at: { t: number; before: readonly string[]; last: string | undefined; startupMs: number },
): Promise<StepRecord> {
  let rec: StepRecord = { name: step.name, t: at.t, before: at.before };
  let target: string | undefined;
  for (const fault of [step.fault, ...step.also]) {
    const r = resolveTarget('host' in fault ? fault.host : undefined, at.before, at.last);
    target ??= r.target;
    try {
      if (r.error) throw new Error(r.error);
      rec = { ...rec, ...(await applyFault(farm, fault, r.target, at.startupMs)) };
    } catch (e) {
      rec = { ...rec, error: (e as Error).message };
      break;
    }
  }
  return target === undefined ? rec : { ...rec, target };
}

function teardownRow(leaks: readonly string[]): StepOutcome {
  return {
    name: 'teardown (no leaked namespace or process)',
    failoverMs: undefined,
    requests: 0,
    failed: 0,
    splitBrainMs: 0,
    via: {},
    ownersAfter: [],
    problems: leaks.map((l) => `left behind: ${l}`),
    pass: leaks.length === 0,
  };
}

async function until(ok: () => boolean, ms: number, what: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(SAMPLE_MS, undefined, { signal });
  }
}
