import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RetryStep, afterConnectFailure } from './connect-retry.ts';

test('connect retry: retries further attempts, then gives up; redispatch chooses the step', () => {
  const cases: [retries: number, redispatch: boolean, attemptsMade: number, want: RetryStep][] = [
    [0, true, 1, 'give-up'],
    [0, false, 1, 'give-up'],
    [1, true, 1, 'reschedule'],
    [1, true, 2, 'give-up'],
    [2, false, 1, 'same-server'],
    [2, false, 2, 'same-server'],
    [2, false, 3, 'give-up'],
    [3, true, 3, 'reschedule'],
    [3, true, 4, 'give-up'],
  ];
  for (const [retries, redispatch, made, want] of cases) {
    const got = afterConnectFailure({ timeoutMs: 1000, retries, redispatch }, made);
    assert.equal(got, want, `retries=${retries} redispatch=${redispatch} made=${made}`);
  }
});
