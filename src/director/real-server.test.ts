import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdminState, DownAction, Health } from './real-server.ts';
import { RealServer } from './real-server.ts';
import { realSpec } from './test-support.ts';

const cases: Array<
  [Health, DownAction, AdminState, { available: boolean; weight: number; usable: boolean }]
> = [
  ['unknown', 'remove', 'enabled', { available: true, weight: 3, usable: true }],
  ['up', 'quiesce', 'enabled', { available: true, weight: 3, usable: true }],
  ['down', 'remove', 'enabled', { available: false, weight: 3, usable: false }],
  ['down', 'quiesce', 'enabled', { available: true, weight: 0, usable: false }],
  ['down', 'quiesce', 'maintenance', { available: false, weight: 0, usable: false }],
  ['up', 'remove', 'drain', { available: true, weight: 0, usable: false }],
];

for (const [health, downAction, admin, want] of cases) {
  test(`real server: health ${health}, downAction ${downAction}, admin ${admin} → ${JSON.stringify(want)}`, () => {
    const r = new RealServer(realSpec(1, { weight: 3 }));
    r.health = health;
    r.downAction = downAction;
    r.admin = admin;
    assert.deepEqual({ available: r.available, weight: r.weight, usable: r.usable }, want);
    assert.equal(r.configuredWeight, 3, 'the configured weight is never overwritten');
  });
}

test('real server: fallback flag comes from the spec, default false', () => {
  assert.equal(new RealServer(realSpec(1)).fallback, false);
  assert.equal(new RealServer({ ...realSpec(1), fallback: true }).fallback, true);
});
