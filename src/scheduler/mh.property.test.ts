import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildMaglevTable, type MaglevDest, maglevTurns, MH_TABLE_SIZES } from './maglev-table.ts';
import { createScheduler } from './registry.ts';
import { manyFlow, type TestDest } from './testing.ts';

const weightsArb = (min: number) => fc.array(fc.integer({ min, max: 1000 }), { minLength: 1, maxLength: 12 });
const sizeArb = fc.constantFrom(251, 1021, 4093, 65521);

function config(weights: readonly number[], salt = 0): MaglevDest[] {
  return weights.map((w, i) => ({
    address: `10.${salt & 255}.${i >> 8}.${i & 255}`,
    port: 80 + i,
    lastWeight: w,
  }));
}

function counts(table: Int32Array, n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const i of table) if (i >= 0) c[i] = (c[i] as number) + 1;
  return c;
}

/**
 * (a) Shares. The kernel fills the table in rounds: in list order each server claims `turns` slots
 * (turns = (weight / gcd) >> rshift, at least 1 for a non-zero weight; 0 = not in the table). Claims never
 * fail, so the count is exact, whatever the permutations: with T = Σ turns, R = ⌊size / T⌋ full rounds and
 * rem = size − R·T slots left for a last partial round taken in list order,
 *   count_i = R·turns_i + min(turns_i, max(0, rem − Σ_{j<i} turns_j)).
 * Hence every server is within one round's turns of its exact share: |count_i − size·turns_i/T| ≤ turns_i.
 */
test('mh (a): each server holds exactly its turn-taking share of the slots', () => {
  fc.assert(
    fc.property(weightsArb(0), sizeArb, fc.nat(255), (weights, size, salt) => {
      const ds = config(weights, salt);
      const turns = maglevTurns(ds, size);
      const total = turns.reduce((a, b) => a + b, 0);
      const got = counts(buildMaglevTable(ds, size), ds.length);
      if (total === 0) return got.every((c) => c === 0);
      const rounds = Math.floor(size / total);
      let left = size - rounds * total;
      turns.forEach((t, i) => {
        const want = rounds * t + Math.min(t, Math.max(0, left));
        left -= t;
        assert.equal(got[i], want, `server ${i} weight ${weights[i]} turns ${t}`);
        assert.ok(Math.abs((got[i] as number) - (size * t) / total) <= t);
        if (weights[i] === 0) assert.equal(got[i], 0);
      });
      return true;
    }),
    { numRuns: 60 },
  );
});

test('mh (a): turns are weight/gcd, scaled down only when max/gcd needs more bits than the table allows', () => {
  const turns = (w: number[], size = 65521) => maglevTurns(config(w), size);
  assert.deepEqual(turns([4, 3, 2]), [4, 3, 2]);
  assert.deepEqual(turns([400, 300, 0]), [4, 3, 0]);
  assert.deepEqual(turns([1000, 1]), [1000 >> 2, 1], 'fls(1000) = 10 > 8 bits for 65521: shift 2');
  assert.deepEqual(turns([100, 1], 251), [100 >> 3, 1], '251 is index 8: 4 bits, fls(100) = 7: shift 3');
  assert.deepEqual(turns([0, 0]), [0, 0]);
});

/**
 * (b) Disruption. Removing one of N servers moves that server's flows, and also re-homes a small number of
 * other slots (a Maglev property: the survivors' preference walks shift a little). Bound asserted here and
 * documented in docs/schedulers.md: at most 5% of the flows of surviving servers move. Measured on the table
 * (65521 slots) over 1500 random configurations with N = 3..12 and weights 1..1000: mean 1.0%, worst 3.0%;
 * with equal weights under 1%. The margin covers sampling 4000 flows.
 */
const DISRUPTION_BOUND = 0.05;

test('mh (b): removing one server moves its flows plus at most 5% of the others', () => {
  fc.assert(
    fc.property(
      weightsArb(1).filter((w) => w.length >= 3),
      fc.nat(),
      fc.nat(255),
      (weights, pick, salt) => {
        const list: TestDest[] = config(weights, salt).map((d) => ({
          id: `${d.address}:${d.port}`,
          address: d.address,
          port: d.port,
          weight: d.lastWeight,
          available: true,
          overloaded: false,
          activeConns: 0,
          inactConns: 0,
        }));
        const gone = list[pick % list.length] as TestDest;
        const rest = list.filter((d) => d !== gone);
        const before = createScheduler('mh');
        const after = createScheduler('mh');
        before.update(list);
        after.update(rest);
        let survivors = 0;
        let moved = 0;
        for (let i = 0; i < 4000; i++) {
          const f = manyFlow(i * 13 + salt);
          const was = before.pick(list, f)?.id;
          const now = after.pick(rest, f)?.id;
          assert.notEqual(now, gone.id);
          if (was === gone.id) continue;
          survivors++;
          if (now !== was) moved++;
        }
        assert.ok(moved <= DISRUPTION_BOUND * survivors, `${moved} of ${survivors} surviving flows moved`);
      },
    ),
    { numRuns: 25 },
  );
});

test('mh (c): the same configuration gives the identical table, for every kernel table size', () => {
  fc.assert(
    fc.property(weightsArb(0), fc.constantFrom(...MH_TABLE_SIZES.slice(0, 6)), (weights, size) => {
      assert.deepEqual(buildMaglevTable(config(weights), size), buildMaglevTable(config(weights), size));
    }),
    { numRuns: 30 },
  );
});
