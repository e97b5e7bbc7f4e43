import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type FarmTable, type PlanOp, canonicalJson, diffPlans } from '../config/diff.ts';
import type { Engine } from '../engines/engine.ts';
import { WebfarmError } from '../model/errors.ts';
import { FakeClock } from '../platform/fake-clock.ts';
import { applyPlanOps, tableOf } from './apply-plan.ts';
import type { Director } from './director.ts';
import { buildDirector } from './farm-plan.ts';
import { realSpec, svcSpec } from './test-support.ts';
import { DEFAULT_TIMEOUTS } from './timeouts.ts';

const r1 = realSpec(1);
const r2 = realSpec(2);
const r3 = realSpec(3);

function start(t: FarmTable): Director {
  return buildDirector({ engine: 'proxy', admin: {}, ...t }, new FakeClock());
}

/** An engine whose listeners for `failing` service ids fail to bind. */
function engineFailing(...failing: string[]): Engine {
  return {
    name: 'proxy',
    start: async () => {},
    stop: async () => {},
    serviceReady: async (id) => {
      if (failing.includes(id))
        throw new WebfarmError('WF_ERR_ENGINE_LISTEN', `${id}: cannot listen: EADDRINUSE`);
    },
  };
}

const before: FarmTable = {
  timeouts: DEFAULT_TIMEOUTS,
  services: [
    { spec: svcSpec({ port: 80 }), reals: [r1, r2] },
    { spec: svcSpec({ port: 53, protocol: 'udp' }), reals: [r1] },
  ],
};
const after: FarmTable = {
  timeouts: { ...DEFAULT_TIMEOUTS, tcpMs: 5000 },
  services: [
    { spec: svcSpec({ port: 80, scheduler: 'wlc' }), reals: [{ ...r1, weight: 7 }, r3] },
    { spec: svcSpec({ port: 443 }), reals: [r2] },
    { spec: svcSpec({ port: 8443 }), reals: [r3] },
  ],
};

test('apply: the diff turns the running table into the new one; kept reals are the same objects', async () => {
  const d = start(before);
  const kept = d.getService('tcp:192.0.2.240:80').findReal('198.51.100.1:80');
  assert.ok(kept);
  kept.health = 'up';
  kept.admin = 'drain';
  kept.stats.conns = 42;
  await applyPlanOps(diffPlans(tableOf(d), after), d, engineFailing());
  assert.deepEqual(diffPlans(tableOf(d), after), []);
  const same = d.getService('tcp:192.0.2.240:80').findReal('198.51.100.1:80');
  assert.equal(same, kept, 'same RealServer object');
  assert.deepEqual(
    [same?.health, same?.admin, same?.stats.conns, same?.configuredWeight],
    ['up', 'drain', 42, 7],
  );
});

test('apply: a new service that cannot bind rolls back everything this reload applied', async () => {
  const d = start(before);
  const snapshot = canonicalJson(tableOf(d));
  const reals = d.getService('tcp:192.0.2.240:80').dests.slice();
  await assert.rejects(
    applyPlanOps(diffPlans(tableOf(d), after), d, engineFailing('tcp:192.0.2.240:8443')),
    (e: unknown) => e instanceof WebfarmError && e.code === 'WF_ERR_ENGINE_LISTEN',
  );
  assert.equal(canonicalJson(tableOf(d)), snapshot, 'table as before');
  assert.deepEqual(d.getService('tcp:192.0.2.240:80').dests, reals, 'the same real objects');
});

test('apply: a failure after changes in place undoes them in reverse (timeouts, edits, adds)', async () => {
  const d = start(before);
  const snapshot = canonicalJson(tableOf(d));
  const ops: PlanOp[] = [
    ...diffPlans(tableOf(d), after).filter((o) => o.op !== 'remove-real' && o.op !== 'remove-service'),
    { op: 'edit-real', serviceId: 'tcp:192.0.2.240:80', realId: '198.51.100.99:80', spec: realSpec(99) },
  ];
  await assert.rejects(applyPlanOps(ops, d), (e: unknown) => e instanceof WebfarmError);
  assert.equal(canonicalJson(tableOf(d)), snapshot);
});

test('apply: the undo of removals restores services, reals and admin state (best effort)', async () => {
  const d = start(before);
  d.getService('udp:192.0.2.240:53').dests[0]!.admin = 'maintenance';
  const snapshot = canonicalJson(tableOf(d));
  const ops: PlanOp[] = [
    { op: 'remove-real', serviceId: 'tcp:192.0.2.240:80', realId: '198.51.100.2:80' },
    { op: 'remove-service', serviceId: 'udp:192.0.2.240:53' },
    { op: 'remove-service', serviceId: 'tcp:192.0.2.240:9' },
  ];
  await assert.rejects(applyPlanOps(ops, d));
  assert.equal(canonicalJson(tableOf(d)), snapshot);
  assert.equal(d.getService('udp:192.0.2.240:53').dests[0]?.admin, 'maintenance');
});

test('tableOf: fallback reals are not part of the table', () => {
  const d = start({ timeouts: DEFAULT_TIMEOUTS, services: [{ spec: svcSpec(), reals: [r1] }] });
  d.addReal('tcp:192.0.2.240:80', { ...r2, fallback: true });
  assert.deepEqual(
    tableOf(d).services[0]?.reals.map((r) => r.address),
    ['198.51.100.1'],
  );
});

test('apply: property — applying diff(a, b) to a director built from a gives b, whatever a and b', async () => {
  const real = fc.record({
    host: fc.integer({ min: 1, max: 4 }),
    weight: fc.integer({ min: 0, max: 3 }),
    upperThreshold: fc.constantFrom(0, 10),
  });
  const service = fc.record({
    port: fc.constantFrom(80, 443, 8080),
    protocol: fc.constantFrom('tcp' as const, 'udp' as const),
    scheduler: fc.constantFrom('rr' as const, 'wlc' as const),
    reals: fc.uniqueArray(real, { selector: (r) => r.host, maxLength: 4 }),
  });
  const tableArb = fc
    .record({
      tcpMs: fc.constantFrom(1000, 900_000),
      services: fc.uniqueArray(service, { selector: (s) => `${s.protocol}${s.port}`, maxLength: 3 }),
    })
    .map(
      (t): FarmTable => ({
        timeouts: { ...DEFAULT_TIMEOUTS, tcpMs: t.tcpMs },
        services: t.services.map((s) => ({
          spec: svcSpec({ port: s.port, protocol: s.protocol, scheduler: s.scheduler }),
          reals: s.reals.map((r) => realSpec(r.host, { weight: r.weight, upperThreshold: r.upperThreshold })),
        })),
      }),
    );
  await fc.assert(
    fc.asyncProperty(tableArb, tableArb, async (a, b) => {
      const d = start(a);
      await applyPlanOps(diffPlans(tableOf(d), b), d, engineFailing());
      assert.deepEqual(diffPlans(tableOf(d), b), []);
    }),
  );
});
