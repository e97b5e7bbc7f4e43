import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type DampEvent,
  type DampParams,
  type DampState,
  healthOf,
  initialState,
  step,
  UNKNOWN,
} from './dampener.ts';

/** Runs a sequence of results ('+' ok, '-' fail) and renders each step as health[!] [event]. */
function run(start: DampState, p: DampParams, input: string): string[] {
  let s = start;
  return [...input].map((c) => {
    const out = step(s, { ok: c === '+' }, p);
    s = out.state;
    return `${healthOf(s)}${out.changed ? '!' : ''}${render(out.event)}`;
  });
}

function render(e: DampEvent): string {
  if (e.kind === 'soft-failure' || e.kind === 'soft-success') return ` ${e.kind} ${e.count}/${e.of}`;
  if (e.kind === 'steady') return '';
  return ` ${e.kind}`;
}

const cases: Array<{ name: string; start: DampState; p: DampParams; input: string; want: string[] }> = [
  {
    name: 'unknown: the first success brings it up at once',
    start: UNKNOWN,
    p: { fall: 3, rise: 2 },
    input: '+',
    want: ['up! up'],
  },
  {
    name: 'unknown: the first failure confirms down without a transition',
    start: UNKNOWN,
    p: { fall: 3, rise: 2 },
    input: '-++',
    want: ['down', 'down soft-success 1/2', 'up! up'],
  },
  {
    name: 'up: fall consecutive failures take it down, soft failures before',
    start: initialState('up', false),
    p: { fall: 3, rise: 2 },
    input: '---',
    want: ['up soft-failure 1/3', 'up soft-failure 2/3', 'down! down'],
  },
  {
    name: 'up: one success resets the failure count',
    start: initialState('up', false),
    p: { fall: 3, rise: 2 },
    input: '--+--',
    want: ['up soft-failure 1/3', 'up soft-failure 2/3', 'up', 'up soft-failure 1/3', 'up soft-failure 2/3'],
  },
  {
    name: 'down: one failure resets the success count',
    start: initialState('down', false),
    p: { fall: 2, rise: 3 },
    input: '++-+++',
    want: [
      'down soft-success 1/3',
      'down soft-success 2/3',
      'down',
      'down soft-success 1/3',
      'down soft-success 2/3',
      'up! up',
    ],
  },
  {
    name: 'fall 1 / rise 1 (ldirectord defaults): every change is a transition',
    start: UNKNOWN,
    p: { fall: 1, rise: 1 },
    input: '+-+-',
    want: ['up! up', 'down! down', 'up! up', 'down! down'],
  },
  {
    name: 'start_up: an unchecked server starts up and needs fall failures',
    start: initialState(undefined, true),
    p: { fall: 2, rise: 2 },
    input: '-+--',
    want: ['up soft-failure 1/2', 'up', 'up soft-failure 1/2', 'down! down'],
  },
  {
    name: 'a flapping server (+-+-) never comes up with rise 2',
    start: initialState('down', false),
    p: { fall: 2, rise: 2 },
    input: '+-+-+-',
    want: ['down soft-success 1/2', 'down', 'down soft-success 1/2', 'down', 'down soft-success 1/2', 'down'],
  },
];

for (const c of cases) {
  test(`dampener: ${c.name}`, () => {
    assert.deepEqual(run(c.start, c.p, c.input), c.want);
  });
}

test('initialState: recorded health wins over start_up; nothing recorded = unknown (counts down)', () => {
  assert.deepEqual(initialState('up', false), { kind: 'up', fails: 0 });
  assert.deepEqual(initialState('down', true), { kind: 'down', oks: 0 });
  assert.deepEqual(initialState(undefined, true), { kind: 'up', fails: 0 });
  assert.equal(healthOf(initialState(undefined, false)), 'down');
});

test('dampener property: health only changes after fall failures / rise successes in a row', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.boolean(), { maxLength: 60 }),
      (fall, rise, results) => {
        let s: DampState = initialState('up', false);
        let streak = 0;
        let last: boolean | undefined;
        for (const ok of results) {
          streak = ok === last ? streak + 1 : 1;
          last = ok;
          const before = healthOf(s);
          const out = step(s, { ok }, { fall, rise });
          s = out.state;
          assert.equal(out.changed, before !== healthOf(s));
          if (out.changed) assert.equal(streak >= (ok ? rise : fall), true);
        }
      },
    ),
  );
});
