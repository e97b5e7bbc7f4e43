import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { PassiveHealthSpec } from '../../director/virtual-service.ts';
import {
  INITIAL_OUTLIER_STATE,
  type OutlierInput,
  type OutlierState,
  PASSIVE_DEFAULTS,
  type Pool,
  ejectionAllowed,
  outlierStep,
  passiveSpecProblems,
} from './outlier.ts';

const SPEC: PassiveHealthSpec = {
  consecutiveFailures: 3,
  baseEjectionMs: 1000,
  maxEjectionMs: 2500,
  maxEjectionPercent: 50,
};
const ROOM: Pool = { ejected: 0, total: 3 };
const FULL: Pool = { ejected: 1, total: 3 };

/** Compact inputs: F = failure (refused) with room, f = failure with the cap reached, S = success, T = tick. */
type Op = [op: 'F' | 'f' | 'R' | 'S' | 'T', nowMs: number];
function input([op, nowMs]: Op): OutlierInput {
  if (op === 'S') return { type: 'success', nowMs };
  if (op === 'T') return { type: 'tick', nowMs };
  const kind = op === 'R' ? 'reset' : 'connect-refused';
  return { type: 'failure', kind, nowMs, pool: op === 'f' ? FULL : ROOM };
}

/** Runs `ops` from the initial state; returns one word per step: the effect, plus the final state. */
function run(ops: Op[], spec = SPEC): { effects: string[]; state: OutlierState } {
  let s = INITIAL_OUTLIER_STATE;
  const effects: string[] = [];
  for (const op of ops) {
    const r = outlierStep(spec, s, input(op));
    s = r.state;
    const e = r.effect;
    effects.push(e.type === 'ejected' ? `ejected:${e.durationMs}` : e.type);
  }
  return { effects, state: s };
}

test('outlier: sequences of outcomes → effects and final state', () => {
  const cases: [name: string, ops: Op[], effects: string[], state: OutlierState][] = [
    [
      'below the threshold nothing happens',
      [
        ['F', 0],
        ['F', 1],
      ],
      ['none', 'none'],
      { kind: 'healthy', failures: 2, timesEjected: 0, sinceMs: 0 },
    ],
    [
      'the third consecutive failure ejects for the base time',
      [
        ['F', 0],
        ['F', 1],
        ['R', 2],
      ],
      ['none', 'none', 'ejected:1000'],
      { kind: 'ejected', untilMs: 1002, timesEjected: 1 },
    ],
    [
      'a success in between restarts the count',
      [
        ['F', 0],
        ['F', 1],
        ['S', 2],
        ['F', 3],
        ['F', 4],
      ],
      ['none', 'none', 'none', 'none', 'none'],
      { kind: 'healthy', failures: 2, timesEjected: 0, sinceMs: 0 },
    ],
    [
      'outcomes while ejected are ignored; a tick before the deadline too',
      [
        ['F', 0],
        ['F', 0],
        ['F', 0],
        ['F', 10],
        ['S', 20],
        ['T', 999],
      ],
      ['none', 'none', 'ejected:1000', 'none', 'none', 'none'],
      { kind: 'ejected', untilMs: 1000, timesEjected: 1 },
    ],
    [
      'a tick at the deadline returns the server with a fresh count',
      [
        ['F', 0],
        ['F', 0],
        ['F', 0],
        ['T', 1000],
      ],
      ['none', 'none', 'ejected:1000', 'returned'],
      { kind: 'healthy', failures: 0, timesEjected: 1, sinceMs: 1000 },
    ],
    [
      'a second ejection soon after lasts twice the base; the third is capped at max',
      [
        ['F', 0],
        ['F', 0],
        ['F', 0],
        ['T', 1000],
        ['F', 1100],
        ['F', 1100],
        ['F', 1100],
        ['T', 3100],
        ['F', 3200],
        ['F', 3200],
        ['F', 3200],
      ],
      'none none ejected:1000 returned none none ejected:2000 returned none none ejected:2500'.split(' '),
      { kind: 'ejected', untilMs: 5700, timesEjected: 3 },
    ],
    [
      'forgiveness: a full base time back in service takes one off the multiplier',
      [
        ['F', 0],
        ['F', 0],
        ['F', 0],
        ['T', 1000],
        ['F', 2000],
        ['F', 2000],
        ['F', 2000],
      ],
      ['none', 'none', 'ejected:1000', 'returned', 'none', 'none', 'ejected:1000'],
      { kind: 'ejected', untilMs: 3000, timesEjected: 1 },
    ],
    [
      'the cap refuses the ejection, reports once, and the next failure with room ejects',
      [
        ['F', 0],
        ['F', 0],
        ['f', 0],
        ['f', 1],
        ['F', 2],
      ],
      ['none', 'none', 'capped', 'none', 'ejected:1000'],
      { kind: 'ejected', untilMs: 1002, timesEjected: 1 },
    ],
    [
      'a success after a capped run restarts the count',
      [
        ['F', 0],
        ['F', 0],
        ['f', 0],
        ['S', 1],
        ['F', 2],
      ],
      ['none', 'none', 'capped', 'none', 'none'],
      { kind: 'healthy', failures: 1, timesEjected: 0, sinceMs: 0 },
    ],
  ];
  for (const [name, ops, effects, state] of cases) {
    const got = run(ops);
    assert.deepEqual(got.effects, effects, name);
    assert.deepEqual(got.state, state, name);
  }
});

test('outlier: the ejection effect names the last failure and the deadline', () => {
  let s = INITIAL_OUTLIER_STATE;
  const one = { ...SPEC, consecutiveFailures: 1 };
  const r = outlierStep(one, s, { type: 'failure', kind: 'connect-timeout', nowMs: 500, pool: ROOM });
  s = r.state;
  assert.deepEqual(r.effect, {
    type: 'ejected',
    reason: 'connect-timeout',
    failures: 1,
    timesEjected: 1,
    durationMs: 1000,
    untilMs: 1500,
  });
});

test('outlier: the cap — eject only while (ejected + 1) / total ≤ max percent', () => {
  const cases: [pct: number, ejected: number, total: number, allowed: boolean][] = [
    [50, 0, 3, true], // 33 %
    [50, 1, 3, false], // 67 %
    [50, 0, 2, true], // 50 %
    [50, 1, 2, false],
    [50, 0, 1, false], // a single server is never ejected at 50 %
    [100, 0, 1, true],
    [100, 2, 3, true],
    [10, 0, 9, false], // Envoy's 10 %: no ejection at all in a pool of 9
    [10, 0, 10, true],
    [10, 1, 10, false],
    [0, 0, 100, false],
    [50, 0, 0, false],
  ];
  for (const [pct, ejected, total, allowed] of cases) {
    const spec = { ...SPEC, maxEjectionPercent: pct };
    assert.equal(ejectionAllowed(spec, { ejected, total }), allowed, `${pct}% ${ejected}/${total}`);
  }
});

test('outlier: property — an ejection never lasts longer than max nor shorter than base', () => {
  const op = fc.record({
    op: fc.constantFrom<Op[0]>('F', 'f', 'R', 'S', 'T'),
    dt: fc.integer({ min: 0, max: 4000 }),
  });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      let s = INITIAL_OUTLIER_STATE;
      let now = 0;
      for (const { op: o, dt } of ops) {
        now += dt;
        const r = outlierStep(SPEC, s, input([o, now]));
        if (r.effect.type === 'ejected') {
          assert.ok(r.effect.durationMs >= SPEC.baseEjectionMs && r.effect.durationMs <= SPEC.maxEjectionMs);
          assert.ok(r.effect.failures >= SPEC.consecutiveFailures);
        }
        if (o === 'f') assert.notEqual(r.effect.type, 'ejected');
        s = r.state;
      }
    }),
  );
});

test('outlier: spec validation', () => {
  assert.deepEqual(passiveSpecProblems(PASSIVE_DEFAULTS), []);
  const bad: [Partial<PassiveHealthSpec>, string][] = [
    [{ consecutiveFailures: 0 }, 'consecutive_failures'],
    [{ consecutiveFailures: 1.5 }, 'consecutive_failures'],
    [{ baseEjectionMs: 0 }, 'base_ejection_time'],
    [{ maxEjectionMs: 1000 }, 'max_ejection_time'],
    [{ maxEjectionPercent: 101 }, 'max_ejection_percent'],
    [{ maxEjectionPercent: -1 }, 'max_ejection_percent'],
  ];
  for (const [over, field] of bad) {
    const problems = passiveSpecProblems({ ...PASSIVE_DEFAULTS, ...over });
    assert.equal(problems.length, 1, JSON.stringify(over));
    assert.match(problems[0]!, new RegExp(`^${field}:`));
  }
});
