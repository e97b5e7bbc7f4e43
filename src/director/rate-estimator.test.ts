import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../platform/fake-clock.ts';
import { Director } from './director.ts';
import { estimateStep, initialEstimate } from './rate-estimator.ts';
import { flow, realSpec, svcSpec } from './test-support.ts';

const zero = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };

test('estimator: EWMA with weight 1/4 over 2 s samples converges to the true rate', () => {
  let e = initialEstimate(zero);
  const expected = [25, 43.75, 57.8125];
  for (let i = 1; i <= 3; i++) {
    e = estimateStep(e, { ...zero, conns: 200 * i }, 2000);
    assert.equal(e.rates.cps, expected[i - 1]);
  }
  for (let i = 4; i <= 60; i++) e = estimateStep(e, { ...zero, conns: 200 * i }, 2000);
  assert.ok(Math.abs(e.rates.cps - 100) < 0.01);
});

test('estimator: zeroed counters do not produce negative rates', () => {
  const e = estimateStep(initialEstimate({ ...zero, inBytes: 5000 }), zero, 2000);
  assert.equal(e.rates.inBps, 0);
});

test('director ticks the estimator every 2 s and -Z zeroes totals only', () => {
  const clock = new FakeClock();
  const d = new Director(clock);
  const svc = d.addService(svcSpec(), [realSpec(1)]);
  d.start();
  for (let i = 0; i < 10; i++) {
    const f = flow('203.0.113.1');
    const s = svc.schedule(f);
    assert.ok(s.ok);
    svc.open(s, f).countIn(1000);
  }
  clock.advance(2000);
  assert.equal(svc.estimate.rates.cps, 10 / 2 / 4);
  assert.equal(svc.dests[0]!.estimate.rates.inBps, 10_000 / 2 / 4);
  d.zero();
  assert.equal(svc.stats.conns, 0);
  assert.equal(svc.dests[0]!.inactConns, 10, 'gauges untouched by -Z');
  d.stop();
});
