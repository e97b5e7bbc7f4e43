import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RealServerSpec } from '../director/real-server.ts';
import { realSpec, svcSpec } from '../director/test-support.ts';
import { DEFAULT_TIMEOUTS } from '../director/timeouts.ts';
import type { ServiceSpec } from '../director/virtual-service.ts';
import { EMPTY_HEALTH_PLAN, type HealthPlan } from '../health/health-plan.ts';
import { type FarmTable, canonicalJson, describeOp, diffPlans, summarize } from './diff.ts';

type Svc = { spec: ServiceSpec; reals: RealServerSpec[] };

const web = (reals: RealServerSpec[], over: Partial<ServiceSpec> = {}): Svc => ({
  spec: svcSpec({ port: 80, ...over }),
  reals,
});
const dns = (reals: RealServerSpec[] = []): Svc => ({
  spec: svcSpec({ protocol: 'udp', port: 53 }),
  reals,
});
const table = (services: Svc[], over: Partial<FarmTable> = {}): FarmTable => ({
  timeouts: DEFAULT_TIMEOUTS,
  services,
  ...over,
});
const r1 = realSpec(1);
const r2 = realSpec(2);
const r3 = realSpec(3);
const checked: HealthPlan = {
  ...EMPTY_HEALTH_PLAN,
  services: [{ serviceId: 'tcp:192.0.2.240:80', downAction: 'quiesce' }],
};

const cases: ReadonlyArray<{ name: string; from: FarmTable; to: FarmTable; ops: string[] }> = [
  { name: 'identical tables: nothing', from: table([web([r1, r2])]), to: table([web([r1, r2])]), ops: [] },
  {
    name: 'real order and spec key order do not matter',
    from: table([web([r1, r2])]),
    to: table([{ spec: JSON.parse(canonicalJson(svcSpec({ port: 80 }))) as ServiceSpec, reals: [r2, r1] }]),
    ops: [],
  },
  {
    name: 'weight change is an edit of that real only',
    from: table([web([r1, r2])]),
    to: table([web([{ ...r1, weight: 5 }, r2])]),
    ops: ['edit-real tcp:192.0.2.240:80 198.51.100.1:80'],
  },
  {
    name: 'threshold and forward changes are edits',
    from: table([web([r1, r2])]),
    to: table([
      web([
        { ...r1, upperThreshold: 10 },
        { ...r2, forward: 'route' },
      ]),
    ]),
    ops: ['edit-real tcp:192.0.2.240:80 198.51.100.1:80', 'edit-real tcp:192.0.2.240:80 198.51.100.2:80'],
  },
  {
    name: 'a real server whose port changed is remove + add',
    from: table([web([r1])]),
    to: table([web([{ ...r1, port: 8080 }])]),
    ops: ['add-real tcp:192.0.2.240:80 198.51.100.1:8080', 'remove-real tcp:192.0.2.240:80 198.51.100.1:80'],
  },
  {
    name: 'add and remove reals; unchanged r2 untouched',
    from: table([web([r1, r2])]),
    to: table([web([r2, r3])]),
    ops: ['add-real tcp:192.0.2.240:80 198.51.100.3:80', 'remove-real tcp:192.0.2.240:80 198.51.100.1:80'],
  },
  {
    name: 'scheduler change edits the service, reals untouched',
    from: table([web([r1])]),
    to: table([web([r1], { scheduler: 'wlc' })]),
    ops: ['edit-service tcp:192.0.2.240:80'],
  },
  {
    name: 'name-only change is an edit',
    from: table([web([r1])]),
    to: table([web([r1], { name: 'www' })]),
    ops: ['edit-service tcp:192.0.2.240:80'],
  },
  {
    name: 'service key changed (port): remove + add, adds first',
    from: table([web([r1])]),
    to: table([web([r1], { port: 8080 })]),
    ops: ['add-service tcp:192.0.2.240:8080', 'remove-service tcp:192.0.2.240:80'],
  },
  {
    name: 'service key changed (protocol): remove + add',
    from: table([dns()]),
    to: table([{ spec: svcSpec({ protocol: 'tcp', port: 53 }), reals: [] }]),
    ops: ['add-service tcp:192.0.2.240:53', 'remove-service udp:192.0.2.240:53'],
  },
  {
    name: 'second service added and removed',
    from: table([web([r1]), dns([r2])]),
    to: table([web([r1])]),
    ops: ['remove-service udp:192.0.2.240:53'],
  },
  {
    name: 'timeouts',
    from: table([web([r1])]),
    to: table([web([r1])], { timeouts: { ...DEFAULT_TIMEOUTS, tcpMs: 1000 } }),
    ops: ['timeouts tcp=1000ms tcpfin=120000ms udp=300000ms'],
  },
  {
    name: 'health plan change',
    from: table([web([r1])], { health: EMPTY_HEALTH_PLAN }),
    to: table([web([r1])], { health: checked }),
    ops: ['health plan'],
  },
  {
    name: 'fallback reals in the running table are ignored',
    from: table([web([r1, { ...r3, fallback: true }])]),
    to: table([web([r1])]),
    ops: [],
  },
  {
    name: 'everything at once, in apply order',
    from: table([web([r1, r2]), dns([r1])]),
    to: table([web([{ ...r1, weight: 2 }, r3], { scheduler: 'lc' }), web([r1], { port: 443 })], {
      timeouts: { ...DEFAULT_TIMEOUTS, udpMs: 5000 },
      health: checked,
    }),
    ops: [
      'add-service tcp:192.0.2.240:443',
      'timeouts tcp=900000ms tcpfin=120000ms udp=5000ms',
      'edit-service tcp:192.0.2.240:80',
      'add-real tcp:192.0.2.240:80 198.51.100.3:80',
      'edit-real tcp:192.0.2.240:80 198.51.100.1:80',
      'remove-real tcp:192.0.2.240:80 198.51.100.2:80',
      'remove-service udp:192.0.2.240:53',
      'health plan',
    ],
  },
];

for (const c of cases) {
  test(`diff: ${c.name}`, () => {
    assert.deepEqual(diffPlans(c.from, c.to).map(describeOp), c.ops);
  });
}

test('diff: add-service carries the new reals; summary counts per kind', () => {
  const ops = diffPlans(table([web([r1, r2])]), table([web([r2, r3]), dns([r1])]));
  const add = ops.find((o) => o.op === 'add-service');
  assert.deepEqual(add && add.op === 'add-service' ? add.reals : undefined, [r1]);
  assert.deepEqual(summarize(ops), {
    services: { added: 1, removed: 0, changed: 0 },
    reals: { added: 1, removed: 1, changed: 0 },
    timeouts: false,
    health: false,
  });
});
