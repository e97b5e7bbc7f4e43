import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RealServer } from '../../director/real-server.ts';
import { flow, realSpec, svcSpec } from '../../director/test-support.ts';
import { type ServiceSpec, VirtualService } from '../../director/virtual-service.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { type PassiveEvent, OutlierDetector } from './outlier-detector.ts';

const PASSIVE = { consecutiveFailures: 2, baseEjectionMs: 1000, maxEjectionMs: 5000, maxEjectionPercent: 50 };

function setup(over: Partial<ServiceSpec> = {}) {
  const clock = new FakeClock();
  const events: PassiveEvent[] = [];
  const det = new OutlierDetector(clock, (e) => events.push(e));
  const svc = new VirtualService(svcSpec({ passive: PASSIVE, ...over }));
  for (const h of [1, 2, 3]) svc.addReal(realSpec(h));
  const real = (h: number) => svc.findReal(`198.51.100.${h}:80`) as RealServer;
  /** Which hosts (last octet) get `n` new connections in a row. */
  const picks = (n: number, client = '203.0.113.1') => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = svc.schedule(flow(client, clock.now()));
      assert.ok(s.ok);
      out.push(s.dest.address.split('.')[3]!);
    }
    return out.sort().join(',');
  };
  return { clock, events, det, svc, real, picks };
}

test('detector: ejection takes the server out of scheduling; the timer brings it back', () => {
  const { clock, events, det, svc, real, picks } = setup();
  det.failure(svc, real(1), 'connect-refused');
  assert.equal(real(1).passive, 'ok');
  det.failure(svc, real(1), 'connect-timeout');
  assert.equal(real(1).passive, 'ejected');
  assert.equal(real(1).available, false);
  assert.equal(real(1).health, 'unknown', 'active health untouched');
  assert.equal(picks(4), '2,2,3,3');
  clock.advance(999);
  assert.equal(real(1).passive, 'ejected');
  clock.advance(1);
  assert.equal(real(1).passive, 'ok');
  assert.equal(picks(3), '1,2,3');
  assert.deepEqual(events, [
    {
      event: 'passive-ejected',
      service: svc.id,
      real: '198.51.100.1:80',
      reason: 'connect-timeout',
      failures: 2,
      timesEjected: 1,
      durationMs: 1000,
    },
    { event: 'passive-returned', service: svc.id, real: '198.51.100.1:80' },
  ]);
  assert.equal(det.ejectedCount, 0);
});

test('detector: the cap keeps a second server in (50 % of 3) and reports it once', () => {
  const { events, det, svc, real } = setup();
  for (let i = 0; i < 2; i++) det.failure(svc, real(1), 'connect-refused');
  for (let i = 0; i < 4; i++) det.failure(svc, real(2), 'connect-refused');
  assert.deepEqual(
    svc.dests.map((d) => d.passive),
    ['ok', 'ok', 'ejected'], // newest first: 3, 2, 1
  );
  assert.deepEqual(
    events.map((e) => e.event),
    ['passive-ejected', 'passive-eject-capped'],
  );
  assert.deepEqual(events[1], {
    event: 'passive-eject-capped',
    service: svc.id,
    real: '198.51.100.2:80',
    failures: 2,
    ejected: 1,
    total: 3,
    maxEjectionPercent: 50,
  });
});

test('detector: a success restarts the count; reports without spec.passive are ignored', () => {
  const { det, svc, real } = setup();
  det.failure(svc, real(1), 'reset');
  det.success(svc, real(1));
  det.failure(svc, real(1), 'reset');
  assert.equal(real(1).passive, 'ok');
  const off = setup({});
  off.svc.reconfigure(svcSpec());
  for (let i = 0; i < 5; i++) off.det.failure(off.svc, off.real(1), 'connect-refused');
  assert.equal(off.real(1).passive, 'ok');
  assert.deepEqual(off.events, []);
});

test('detector: a persistent client whose template points at the ejected server is rescheduled', () => {
  const { clock, det, svc } = setup({ persistence: { timeoutMs: 60_000, prefix: 32 } });
  const first = svc.schedule(flow('203.0.113.9', clock.now()));
  assert.ok(first.ok);
  const home = first.dest;
  for (let i = 0; i < 2; i++) det.failure(svc, home, 'connect-refused');
  assert.equal(home.passive, 'ejected');
  const again = svc.schedule(flow('203.0.113.9', clock.now()));
  assert.ok(again.ok);
  assert.notEqual(again.dest, home);
  assert.ok(again.template && again.template !== first.template, 'a new template');
});

test('detector: stop() puts ejected servers back and cancels their timers', () => {
  const { clock, events, det, svc, real } = setup();
  for (let i = 0; i < 2; i++) det.failure(svc, real(3), 'connect-refused');
  assert.equal(real(3).passive, 'ejected');
  det.stop();
  assert.equal(real(3).passive, 'ok');
  clock.advance(10_000);
  assert.deepEqual(
    events.map((e) => e.event),
    ['passive-ejected'],
  );
});

test('detector: a removed server is not ejected; repeated ejections grow to the max', () => {
  const { clock, events, det, svc, real } = setup();
  const gone = real(2);
  svc.removeReal(gone.id);
  for (let i = 0; i < 3; i++) det.failure(svc, gone, 'connect-refused');
  assert.equal(gone.passive, 'ok');
  const durations: number[] = [];
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 2; i++) det.failure(svc, real(1), 'connect-refused');
    const last = events.at(-1);
    assert.ok(last?.event === 'passive-ejected');
    durations.push(last.durationMs);
    clock.advance(last.durationMs);
  }
  assert.deepEqual(durations, [1000, 2000, 3000, 4000]);
});
