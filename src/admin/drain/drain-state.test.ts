import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type DrainInput, type DrainState, drainStep, startDrain } from './drain-state.ts';

const obs = (nowMs: number, conns: number): DrainInput => ({ type: 'observe', nowMs, conns });

test('drain transitions: table', () => {
  type Case = [
    string,
    { timeoutMs?: number; remove?: boolean; conns: number },
    DrainInput[],
    string,
    string[],
  ];
  const cases: Case[] = [
    ['idle server drains at once', { conns: 0 }, [], 'drained', []],
    ['idle server with remove: remove at once', { conns: 0, remove: true }, [], 'drained', []],
    [
      'conns fall to 0',
      { conns: 3 },
      [obs(100, 2), obs(200, 0)],
      'drained',
      ['progress', 'progress,finished'],
    ],
    ['no change, no effect', { conns: 3 }, [obs(100, 3)], 'draining', ['']],
    [
      'deadline with conns left',
      { conns: 3, timeoutMs: 1000 },
      [obs(999, 3), obs(1000, 3)],
      'timed-out',
      ['', 'finished'],
    ],
    [
      'deadline with remove',
      { conns: 3, timeoutMs: 1000, remove: true },
      [obs(1500, 1)],
      'timed-out',
      ['progress,remove,finished'],
    ],
    [
      'zero at the deadline counts as drained',
      { conns: 3, timeoutMs: 1000 },
      [obs(1000, 0)],
      'drained',
      ['progress,finished'],
    ],
    ['cancel', { conns: 3 }, [{ type: 'cancel', nowMs: 5, reason: 'enabled' }], 'cancelled', ['cancelled']],
    [
      'finished is final',
      { conns: 1 },
      [obs(1, 0), obs(2, 5), { type: 'cancel', nowMs: 3, reason: 'x' }],
      'drained',
      ['progress,finished', '', ''],
    ],
    ['without a timeout it waits', { conns: 1 }, [obs(1e12, 1)], 'draining', ['']],
  ];
  for (const [name, start, inputs, phase, effects] of cases) {
    let { state } = startDrain(0, start.conns, start.timeoutMs, start.remove ?? false);
    const seen: string[] = [];
    for (const i of inputs) {
      const step = drainStep(state, i);
      state = step.state;
      seen.push(step.effects.join(','));
    }
    assert.equal(state.phase, phase, name);
    assert.deepEqual(seen, effects, name);
  }
  const first = startDrain(0, 0, undefined, true);
  assert.deepEqual(first.effects, ['remove', 'finished']);
  assert.equal(drainStep(first.state, { type: 'removed' }).state.removed, true);
});

test('property: whatever is observed, a drain finishes at most once and removes only if asked', () => {
  const input = fc.oneof(
    fc.record({ type: fc.constant('observe' as const), nowMs: fc.nat(5000), conns: fc.nat(5) }),
    fc.record({ type: fc.constant('cancel' as const), nowMs: fc.nat(5000), reason: fc.constant('x') }),
  );
  fc.assert(
    fc.property(
      fc.nat(5),
      fc.option(fc.nat(3000), { nil: undefined }),
      fc.boolean(),
      fc.array(input),
      (c, t, remove, inputs) => {
        let { state, effects } = startDrain(0, c, t, remove);
        const all = [...effects];
        let last: DrainState = state;
        for (const i of inputs) {
          ({ state, effects } = drainStep(last, i));
          if (last.phase !== 'draining') assert.equal(state.phase, last.phase);
          all.push(...effects);
          last = state;
        }
        const ends = all.filter((e) => e === 'finished' || e === 'cancelled').length;
        assert.ok(ends <= 1);
        assert.equal(all.includes('remove'), remove && all.includes('finished'));
        if (state.phase === 'drained') assert.equal(state.remaining, 0);
      },
    ),
  );
});
