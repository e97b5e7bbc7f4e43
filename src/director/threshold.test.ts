import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overloadAfter } from './threshold.ts';

// Each row: state before → expected OVERLOAD flag after (seed-system §4.3 "Thresholds").
const cases: Array<[string, { overloaded: boolean; upper: number; lower: number; total: number }, boolean]> =
  [
    ['no upper threshold never overloads', { overloaded: false, upper: 0, lower: 0, total: 1e6 }, false],
    ['below upper stays clear', { overloaded: false, upper: 10, lower: 0, total: 9 }, false],
    ['reaching upper sets', { overloaded: false, upper: 10, lower: 0, total: 10 }, true],
    ['still at 3/4 of upper stays set', { overloaded: true, upper: 10, lower: 0, total: 8 }, true],
    ['just below 3/4 of upper clears', { overloaded: true, upper: 12, lower: 0, total: 8 }, false],
    [
      'exactly 3/4 stays set (clears strictly below)',
      { overloaded: true, upper: 12, lower: 0, total: 9 },
      true,
    ],
    ['with lower: at lower stays set', { overloaded: true, upper: 10, lower: 5, total: 5 }, true],
    ['with lower: below lower clears', { overloaded: true, upper: 10, lower: 5, total: 4 }, false],
    [
      'with lower: between, not set before, stays clear',
      { overloaded: false, upper: 10, lower: 5, total: 7 },
      false,
    ],
  ];

for (const [name, state, expected] of cases) {
  test(`threshold: ${name}`, () => assert.equal(overloadAfter(state), expected));
}
