import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { distribution, gaps, percentile } from './summary.ts';

describe('failover summary', () => {
  it('nearest-rank percentiles, median, max', () => {
    const cases: [number[], { median: number; p90: number; p99: number; max: number }][] = [
      [[5], { median: 5, p90: 5, p99: 5, max: 5 }],
      [[3, 1, 2, 4], { median: 2.5, p90: 4, p99: 4, max: 4 }],
      [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { median: 5.5, p90: 9, p99: 10, max: 10 }],
      [Array.from({ length: 20 }, (_, i) => 20 - i), { median: 10.5, p90: 18, p99: 20, max: 20 }],
    ];
    for (const [values, want] of cases) {
      const d = distribution(values);
      assert.deepEqual(d, { n: values.length, ...want }, String(values));
    }
    assert.equal(distribution([]), undefined);
    assert.throws(() => percentile([], 50));
  });

  it('percentiles are values of the set, ordered, and at most the max', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1 }), (values) => {
        const d = distribution(values);
        assert.ok(d);
        assert.ok(values.includes(d.p90) && values.includes(d.p99));
        assert.ok(d.p90 <= d.p99 && d.p99 <= d.max);
        assert.equal(d.max, Math.max(...values));
      }),
    );
  });

  it('gaps are the differences of consecutive arrivals', () => {
    assert.deepEqual(gaps([]), []);
    assert.deepEqual(gaps([10]), []);
    assert.deepEqual(gaps([10, 110, 215, 300]), [100, 105, 85]);
  });
});
