import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NEGOTIATE_TYPES } from './check-spec.ts';
import { PROBE_TYPES } from './probe.ts';

test('negotiate types: every probe that speaks a protocol; not connect, external, none, on, off', () => {
  const plain = PROBE_TYPES.filter((t) => !NEGOTIATE_TYPES.has(t));
  assert.deepEqual(plain, ['connect', 'external', 'none', 'on', 'off']);
  assert.equal(NEGOTIATE_TYPES.size, PROBE_TYPES.length - 5);
});
