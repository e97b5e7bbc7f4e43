import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Idle } from './idle.ts';

test('Idle: traffic seen at a sweep restarts the period from that sweep', () => {
  const idle = new Idle(0);
  const steps: [nowMs: number, chunks: number, wantExpiry: number][] = [
    [1000, 0, 5000], // no traffic since creation at 0
    [2000, 3, 7000], // traffic noticed at 2000
    [3000, 0, 7000],
    [6999, 0, 7000],
    [7000, 1, 12000],
  ];
  for (const [now, chunks, want] of steps) {
    idle.ticks += chunks;
    assert.equal(idle.expiry(now, 5000), want, `at ${now}`);
  }
  idle.touch(8000);
  assert.equal(idle.expiry(8500, 5000), 13000);
  assert.equal(idle.lastActiveMs, 8000);
});
