import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatDuration, MAX_DURATION_MS, parseDuration } from './duration.ts';

test('duration: units, bare seconds, compounds', () => {
  const cases: Array<[string | number, number]> = [
    ['500ms', 500],
    ['2s', 2000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['300', 300_000],
    [300, 300_000],
    [0, 0],
    ['0s', 0],
    ['1.5s', 1500],
    [0.25, 250],
    ['1m30s', 90_000],
    ['1h 5m', 3_900_000],
    ['  2s ', 2000],
    ['10 s', 10_000],
  ];
  for (const [input, ms] of cases) assert.deepEqual(parseDuration(input), { ok: true, ms }, String(input));
});

test('duration: garbage, negatives, fractions of a millisecond and overflow are rejected', () => {
  const cases: Array<[string | number, RegExp]> = [
    ['-5s', /cannot be negative/],
    [-1, /cannot be negative/],
    ['abc', /"abc" is not a duration \(use a number with a unit/],
    ['', /is not a duration/],
    ['5 minutes', /is not a duration/],
    ['5d', /is not a duration/],
    ['s', /is not a duration/],
    ['1.2.3s', /is not a duration/],
    ['0.5ms', /not a whole number of milliseconds/],
    [Number.POSITIVE_INFINITY, /is not a duration/],
    ['999h', /too long \(at most about 596h\)/],
  ];
  for (const [input, re] of cases) {
    const r = parseDuration(input);
    assert.equal(r.ok, false, String(input));
    if (!r.ok) assert.match(r.error, re, String(input));
  }
});

test('duration: the largest exact unit is used for display', () => {
  const cases: Array<[number, string]> = [
    [0, '0ms'],
    [500, '500ms'],
    [2000, '2s'],
    [90_000, '90s'],
    [300_000, '5m'],
    [7_200_000, '2h'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text);
});

test('duration: formatDuration output parses back to the same milliseconds', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (ms) => {
      assert.deepEqual(parseDuration(formatDuration(ms)), { ok: true, ms });
    }),
  );
});
