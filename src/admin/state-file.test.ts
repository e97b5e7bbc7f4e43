import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableOf } from '../director/apply-plan.ts';
import { buildDirector } from '../director/farm-plan.ts';
import { realSpec, svcSpec } from '../director/test-support.ts';
import { DEFAULT_TIMEOUTS } from '../director/timeouts.ts';
import { FakeClock } from '../platform/fake-clock.ts';
import { type StateDoc, formatState, parseState, stateOf, tableDigest } from './state-file.ts';
import { startTable } from './state-file-merge.ts';

const plan = {
  engine: 'proxy' as const,
  admin: {},
  timeouts: DEFAULT_TIMEOUTS,
  services: [
    {
      spec: svcSpec({ name: 'web', persistence: { timeoutMs: 300_000, prefix: 24 } }),
      reals: [realSpec(1), realSpec(2, { weight: 3 })],
    },
    { spec: svcSpec({ protocol: 'udp', port: 53, onePacket: true }), reals: [realSpec(3, { port: 53 })] },
  ],
};

test('state file: a director written and read back rebuilds the same table, list order and admin state', () => {
  const d = buildDirector(plan, new FakeClock());
  d.addReal('tcp:192.0.2.240:80', realSpec(4));
  d.editReal('tcp:192.0.2.240:80', '198.51.100.2:80', { admin: 'drain', weight: 9 });
  d.addReal('tcp:192.0.2.240:80', { ...realSpec(5), fallback: true });
  const parsed = parseState(formatState(stateOf(d, 'a'.repeat(64))));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const start = startTable(plan, 'a'.repeat(64), parsed.doc);
  const again = buildDirector({ ...plan, ...start.table }, new FakeClock());
  for (const a of start.admin) again.editReal(a.serviceId, a.realId, { admin: a.admin });
  const withoutFallback = tableOf(d);
  assert.deepEqual(tableOf(again), withoutFallback);
  assert.deepEqual(
    again.getService('tcp:192.0.2.240:80').dests.map((r) => [r.id, r.admin]),
    [
      ['198.51.100.4:80', 'enabled'],
      ['198.51.100.2:80', 'drain'],
      ['198.51.100.1:80', 'enabled'],
    ],
  );
});

const good = (): StateDoc => stateOf(buildDirector(plan, new FakeClock()), 'b'.repeat(64));
const cases: ReadonlyArray<[string, string, RegExp]> = [
  ['torn JSON', formatState(good()).slice(0, 40), /not JSON/],
  ['other version', JSON.stringify({ ...good(), version: 2 }), /version/],
  ['bad weight', JSON.stringify(good()).replace('"weight":1', '"weight":70000'), /weight/],
  ['bad scheduler', JSON.stringify(good()).replace('"scheduler":"rr"', '"scheduler":"fastest"'), /scheduler/],
  ['unknown key', JSON.stringify({ ...good(), extra: 1 }), /extra|Unrecognized/i],
  ['bad admin', JSON.stringify(good()).replace('"admin":"enabled"', '"admin":"off"'), /admin/],
];
for (const [name, text, why] of cases) {
  test(`state file: rejects ${name}`, () => {
    const r = parseState(text);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, why);
  });
}

test('state file: the digest ignores key order but not values or real order', () => {
  const d = tableDigest(plan);
  assert.equal(tableDigest(JSON.parse(JSON.stringify(plan))), d);
  const swapped = {
    ...plan,
    services: [{ ...plan.services[0]!, reals: [realSpec(2, { weight: 3 }), realSpec(1)] }, plan.services[1]!],
  };
  assert.notEqual(tableDigest(swapped), d);
  assert.notEqual(tableDigest({ ...plan, timeouts: { ...DEFAULT_TIMEOUTS, udpMs: 1 } }), d);
});
