import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWebfarmError } from '../../model/errors.ts';
import { checkIntervalMs, checkTiming, DEFAULT_TIMING, resolveTiming, type Timing } from './timing.ts';

test('timing: defaults are valid and sub-second', () => {
  const t = resolveTiming();
  assert.deepEqual(t, DEFAULT_TIMING);
  assert.ok(t.deadtimeMs + checkIntervalMs(t) < 1000);
});

test('timing: unset fields follow a given deadtime', () => {
  assert.deepEqual(resolveTiming({ deadtimeMs: 4000 }), {
    keepaliveMs: 100,
    warntimeMs: 2000,
    deadtimeMs: 4000,
    initdeadMs: 4000,
  });
  assert.deepEqual(resolveTiming({ keepaliveMs: 200, deadtimeMs: 1000, warntimeMs: 600 }).initdeadMs, 2000);
});

test('timing: each rule names its field', () => {
  const cases: [string, Partial<Timing>, (keyof Timing)[]][] = [
    [
      'deadtime equal to 2 × keepalive',
      { keepaliveMs: 200, deadtimeMs: 400, warntimeMs: 300 },
      ['deadtimeMs'],
    ],
    ['deadtime below keepalive', { keepaliveMs: 500, deadtimeMs: 400 }, ['deadtimeMs', 'warntimeMs']],
    ['warntime not above keepalive', { warntimeMs: 100 }, ['warntimeMs']],
    ['warntime not below deadtime', { warntimeMs: 500 }, ['warntimeMs']],
    ['initdead below deadtime', { initdeadMs: 499 }, ['initdeadMs']],
    ['zero keepalive', { keepaliveMs: 0 }, ['keepaliveMs']],
    ['fractional deadtime', { deadtimeMs: 500.5 }, ['deadtimeMs']],
    ['NaN warntime', { warntimeMs: Number.NaN }, ['warntimeMs']],
    ['negative initdead', { initdeadMs: -1 }, ['initdeadMs']],
  ];
  for (const [name, input, fields] of cases) {
    const c = checkTiming(input);
    assert.equal(c.ok, false, name);
    if (c.ok) continue;
    assert.deepEqual(
      c.problems.map((p) => p.field),
      fields,
      name,
    );
    for (const p of c.problems) assert.match(p.message, new RegExp(`^${p.field}`), name);
  }
});

test('timing: the boundary values that are allowed', () => {
  const ok: Partial<Timing>[] = [
    { keepaliveMs: 200, deadtimeMs: 401, warntimeMs: 201, initdeadMs: 401 },
    { keepaliveMs: 1000, deadtimeMs: 30000, warntimeMs: 10000, initdeadMs: 60000 },
  ];
  for (const input of ok) assert.equal(checkTiming(input).ok, true, JSON.stringify(input));
});

test('timing: resolveTiming throws WF_ERR_CLUSTER_TIMING naming the field', () => {
  assert.throws(
    () => resolveTiming({ keepaliveMs: 300, deadtimeMs: 500, warntimeMs: 400 }),
    (e: unknown) => isWebfarmError(e) && e.code === 'WF_ERR_CLUSTER_TIMING' && /deadtimeMs/.test(e.message),
  );
});

test('timing: check interval is half a keepalive, at most 50 ms', () => {
  const cases: [number, number][] = [
    [100, 50],
    [60, 30],
    [1000, 50],
    [1, 1],
  ];
  for (const [keepaliveMs, want] of cases) {
    assert.equal(checkIntervalMs({ ...DEFAULT_TIMING, keepaliveMs }), want, String(keepaliveMs));
  }
});
