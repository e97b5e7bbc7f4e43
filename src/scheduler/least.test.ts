import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createScheduler } from './registry.ts';
import type { SchedulerName } from './scheduler.ts';
import { dest, flow, type TestDest } from './testing.ts';

/** [name, weight, activeConns, inactConns, flags] in list order. */
type Row = [string, number, number, number, ('overloaded' | 'down')?];
type Case = [SchedulerName, string, Row[], string];

function build(rows: Row[]): TestDest[] {
  return rows.map(([id, weight, activeConns, inactConns, flag]) =>
    dest(id, weight, {
      activeConns,
      inactConns,
      overloaded: flag === 'overloaded',
      available: flag !== 'down',
    }),
  );
}

const CASES: Case[] = [
  // lc: least 256*active + inactive; weight only as 0 vs not; strict <, first minimum wins.
  [
    'lc',
    'least overhead',
    [
      ['A', 1, 1, 0],
      ['B', 1, 0, 10],
      ['C', 100, 0, 10],
    ],
    'B',
  ],
  [
    'lc',
    'weights do not scale',
    [
      ['A', 100, 1, 0],
      ['B', 1, 0, 255],
    ],
    'B',
  ],
  [
    'lc',
    'equal load: first in list',
    [
      ['A', 1, 0, 3],
      ['B', 5, 0, 3],
    ],
    'A',
  ],
  [
    'lc',
    'weight 0 skipped',
    [
      ['A', 0, 0, 0],
      ['B', 1, 9, 0],
    ],
    'B',
  ],
  // wlc: least overhead/weight, cross-multiplied; first minimum wins.
  [
    'wlc',
    'weight scales load',
    [
      ['A', 1, 1, 0],
      ['B', 3, 2, 0],
    ],
    'B',
  ],
  [
    'wlc',
    'equal ratio: first in list',
    [
      ['A', 1, 1, 0],
      ['B', 2, 2, 0],
    ],
    'A',
  ],
  [
    'wlc',
    'inactive counts 1/256',
    [
      ['A', 1, 0, 2],
      ['B', 1, 0, 1],
    ],
    'B',
  ],
  [
    'wlc',
    'flagged first server skipped',
    [
      ['A', 9, 0, 0, 'overloaded'],
      ['B', 1, 4, 0],
    ],
    'B',
  ],
  [
    'wlc',
    'unavailable skipped',
    [
      ['A', 9, 0, 0, 'down'],
      ['B', 1, 4, 0],
    ],
    'B',
  ],
  [
    'wlc',
    'sed/wlc difference: idle light server wins',
    [
      ['A', 1, 0, 0],
      ['B', 10, 1, 0],
    ],
    'A',
  ],
  // sed: (active + 1) / weight; inactive ignored.
  [
    'sed',
    'sed/wlc difference: heavy server wins',
    [
      ['A', 1, 0, 0],
      ['B', 10, 1, 0],
    ],
    'B',
  ],
  [
    'sed',
    'inactive ignored',
    [
      ['A', 1, 0, 50],
      ['B', 1, 0, 0],
    ],
    'A',
  ],
  [
    'sed',
    'equal delay: first in list',
    [
      ['A', 1, 1, 0],
      ['B', 2, 3, 0],
    ],
    'A',
  ],
  // nq: first idle eligible server at once, else sed.
  [
    'nq',
    'idle server taken at once over a lower sed',
    [
      ['A', 10, 1, 0],
      ['B', 1, 0, 0],
    ],
    'B',
  ],
  [
    'nq',
    'first idle in list order',
    [
      ['A', 10, 1, 0],
      ['B', 1, 0, 0],
      ['C', 50, 0, 0],
    ],
    'B',
  ],
  [
    'nq',
    'idle but weight 0 skipped',
    [
      ['A', 0, 0, 0],
      ['B', 10, 1, 0],
      ['C', 1, 1, 0],
    ],
    'B',
  ],
  [
    'nq',
    'none idle: sed choice',
    [
      ['A', 1, 1, 0],
      ['B', 10, 2, 0],
    ],
    'B',
  ],
  // fo: highest weight, first on ties.
  [
    'fo',
    'highest weight',
    [
      ['A', 2, 0, 0],
      ['B', 5, 9, 0],
      ['C', 5, 0, 0],
    ],
    'B',
  ],
  [
    'fo',
    'flagged highest skipped',
    [
      ['A', 2, 0, 0],
      ['B', 5, 0, 0, 'overloaded'],
      ['C', 5, 0, 0],
    ],
    'C',
  ],
  ['fo', 'all weight 0', [['A', 0, 0, 0]], '-'],
  // ovf: highest weight whose active conns do not exceed its weight.
  [
    'ovf',
    'highest weight under its limit',
    [
      ['A', 2, 0, 0],
      ['B', 5, 5, 0],
      ['C', 3, 0, 0],
    ],
    'B',
  ],
  [
    'ovf',
    'overflow to the next weight',
    [
      ['A', 2, 0, 0],
      ['B', 5, 6, 0],
      ['C', 3, 3, 0],
    ],
    'C',
  ],
  [
    'ovf',
    'all over their weight',
    [
      ['A', 2, 3, 0],
      ['B', 5, 6, 0],
    ],
    '-',
  ],
  [
    'ovf',
    'equal weights: first in list',
    [
      ['A', 3, 1, 0],
      ['B', 3, 0, 0],
    ],
    'A',
  ],
];

for (const [name, what, rows, want] of CASES) {
  test(`${name}: ${what}`, () => {
    const list = build(rows);
    const s = createScheduler(name);
    s.update(list);
    assert.equal(s.pick(list, flow())?.id ?? '-', want);
  });
}
