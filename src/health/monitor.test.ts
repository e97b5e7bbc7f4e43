import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../platform/fake-clock.ts';
import type { LogFields, Logger } from '../platform/log.ts';
import { seededRng } from '../platform/random.ts';
import type { CheckSpec } from './check-spec.ts';
import { type DampState, UNKNOWN, UP } from './dampener.ts';
import { type CheckReport, Monitor, type MonitoredCheck } from './monitor.ts';
import type { Probe, ProbeTarget } from './probe.ts';
import { advance, FAIL, OK, scriptedProbe } from './testing/fake-probe.ts';

const SPEC: CheckSpec = { type: 'connect', intervalMs: 100, timeoutMs: 50, fall: 2, rise: 2, settings: {} };

function target(port: number): ProbeTarget {
  return { protocol: 'tcp', address: '127.0.0.1', port, virtualAddress: '127.0.0.1', virtualPort: 80 };
}

function check(port: number, initial: DampState = UNKNOWN, spec: CheckSpec = SPEC): MonitoredCheck {
  return { key: `k${port}`, target: target(port), spec, initial };
}

function recordingLog(): Logger & { lines: Array<{ event: string; fields: LogFields | undefined }> } {
  const lines: Array<{ event: string; fields: LogFields | undefined }> = [];
  const push = (event: string, fields?: LogFields) => lines.push({ event, fields });
  return { lines, info: push, warn: push, error: push };
}

test('monitor: first runs are jittered over one interval, later runs keep a fixed period', async () => {
  const clock = new FakeClock();
  const probes: Array<ReturnType<typeof scriptedProbe>> = [];
  const monitor = new Monitor({
    clock,
    rng: seededRng(42),
    log: recordingLog(),
    probe: () => {
      const p = scriptedProbe(clock, () => OK);
      probes.push(p);
      return p;
    },
    onReport: () => {},
  });
  const spec = { ...SPEC, intervalMs: 1000, timeoutMs: 500 };
  monitor.reconcile(Array.from({ length: 200 }, (_, i) => check(i + 1, UNKNOWN, spec)));
  await advance(clock, 3000, 10);
  monitor.stop();
  const firsts = probes.map((p) => p.calls[0]?.atMs ?? -1);
  assert.ok(
    firsts.every((t) => t >= 0 && t < 1000),
    'every check ran once within the first interval',
  );
  const buckets = new Array<number>(10).fill(0);
  for (const t of firsts) buckets[Math.floor(t / 100)] = (buckets[Math.floor(t / 100)] ?? 0) + 1;
  assert.ok(
    buckets.every((n) => n >= 5 && n <= 40),
    `spread over the interval: ${buckets.join(',')}`,
  );
  for (const p of probes) {
    const gaps = p.calls.slice(1).map((c, i) => c.atMs - (p.calls[i]?.atMs ?? 0));
    assert.deepEqual(gaps, [1000, 1000].slice(0, gaps.length));
  }
});

test('monitor: a hanging probe is aborted at its timeout, counted as a failure, and delays no other check', async () => {
  const clock = new FakeClock();
  const hang = scriptedProbe(clock, () => 'hang');
  const fine = scriptedProbe(clock, () => OK);
  const { monitor, reports } = setupWith(clock, [hang, fine]);
  monitor.reconcile([check(1, UP), check(2)]);
  await advance(clock, 1000);
  monitor.stop();
  assert.ok(fine.calls.length >= 9, `the healthy check kept its period: ${fine.calls.length} runs`);
  const fineGaps = fine.calls.slice(1).map((c, i) => c.atMs - (fine.calls[i]?.atMs ?? 0));
  assert.ok(fineGaps.every((g) => g === 100));
  const first = hang.calls[0];
  assert.ok(first);
  assert.equal(first.signal.aborted, true, 'the hanging probe saw its signal abort');
  const hangReports = reports.filter((r) => r.key === 'k1');
  assert.deepEqual(hangReports[0]?.result, { ok: false, reason: 'timeout after 50 ms' });
  assert.equal(hangReports[0]?.atMs, clock.wallNow() - clock.now() + first.atMs + 50);
  assert.deepEqual(
    hangReports.slice(0, 2).map((r) => r.step.event.kind),
    ['soft-failure', 'down'],
    'two timeouts take it down (fall 2)',
  );
});

test('monitor: a probe that throws is a logged failure and the check keeps running', async () => {
  const clock = new FakeClock();
  const thrower = scriptedProbe(clock, (n) => (n < 2 ? 'throw' : OK));
  const { monitor, reports, log } = setupWith(clock, [thrower]);
  monitor.reconcile([check(1, UP)]);
  await advance(clock, 450);
  monitor.stop();
  assert.ok(thrower.calls.length >= 4);
  assert.deepEqual(
    reports.slice(0, 4).map((r) => [r.result.ok, r.step.event.kind]),
    [
      [false, 'soft-failure'],
      [false, 'down'],
      [true, 'soft-success'],
      [true, 'up'],
    ],
  );
  assert.match(reports[0]?.result.ok === false ? reports[0].result.reason : '', /scripted failure 0/);
  assert.equal(log.lines.filter((l) => l.event === 'probe-error').length, 2);
});

test('monitor: reconcile keeps the state of unchanged checks, starts new ones, stops removed ones', async () => {
  const clock = new FakeClock();
  const a = scriptedProbe(clock, (n) => (n === 0 ? OK : FAIL));
  const b = scriptedProbe(clock, () => OK);
  const { monitor } = setupWith(clock, [a, b]);
  monitor.reconcile([check(1)]);
  await advance(clock, 150);
  const before = monitor.status('k1');
  assert.deepEqual(before?.state, { kind: 'up', fails: 1 }, 'one success then one soft failure');
  // A "reload": same check (initial ignored), plus a new one.
  monitor.reconcile([check(1, UNKNOWN), check(2)]);
  assert.deepEqual(monitor.status('k1')?.state, before?.state);
  assert.deepEqual(monitor.keys.sort(), ['k1', 'k2']);
  await advance(clock, 100);
  assert.deepEqual(monitor.status('k1')?.state, { kind: 'down', oks: 0 }, 'the count continued');
  assert.ok(b.calls.length >= 1);
  const aCalls = a.calls.length;
  monitor.reconcile([check(2)]);
  assert.equal(monitor.status('k1'), undefined);
  await advance(clock, 500);
  assert.equal(a.calls.length, aCalls, 'a removed check never runs again');
  assert.ok(b.calls.length >= 5);
  monitor.stop();
});

test('monitor: a run in flight when its check is removed is aborted and never reported', async () => {
  const clock = new FakeClock();
  const hang = scriptedProbe(clock, () => 'hang');
  const { monitor, reports } = setupWith(clock, [hang]);
  monitor.reconcile([check(1, UNKNOWN, { ...SPEC, intervalMs: 1000, timeoutMs: 900 })]);
  while (hang.calls.length === 0) await advance(clock, 1);
  await advance(clock, 10);
  monitor.reconcile([]);
  assert.equal(hang.calls[0]?.signal.aborted, true);
  await advance(clock, 300);
  assert.equal(reports.length, 0);
});

test('monitor: a slow run longer than the interval delays only its own next run', async () => {
  const clock = new FakeClock();
  const spec = { ...SPEC, intervalMs: 100, timeoutMs: 250 };
  const hang = scriptedProbe(clock, () => 'hang');
  const { monitor } = setupWith(clock, [hang]);
  monitor.reconcile([check(1, UP, spec)]);
  await advance(clock, 1000);
  monitor.stop();
  const gaps = hang.calls.slice(1).map((c, i) => c.atMs - (hang.calls[i]?.atMs ?? 0));
  assert.ok(gaps.length >= 3);
  assert.ok(
    gaps.every((g) => g === 250),
    `runs never overlap: ${gaps.join(',')}`,
  );
});

function setupWith(clock: FakeClock, probes: Probe[]) {
  const reports: CheckReport[] = [];
  const log = recordingLog();
  let next = 0;
  const monitor = new Monitor({
    clock,
    rng: seededRng(7),
    log,
    probe: () => {
      const p = probes[next++];
      if (!p) throw new Error('no probe left');
      return p;
    },
    onReport: (r) => reports.push(r),
  });
  return { monitor, reports, log };
}
