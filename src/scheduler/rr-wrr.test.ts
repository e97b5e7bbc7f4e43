import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createScheduler } from './registry.ts';
import type { Scheduler } from './scheduler.ts';
import { dests, flow, type TestDest } from './testing.ts';

function seq(s: Scheduler, list: readonly TestDest[], n: number): string {
  return Array.from({ length: n }, () => s.pick(list, flow())?.id ?? '-').join('');
}

test('rr: each eligible server in list order, wrapping; ineligible ones skipped', () => {
  const cases: [Record<string, number>, string][] = [
    [{ A: 1, B: 1, C: 1 }, 'ABCABCA'],
    [{ A: 1, B: 0, C: 5 }, 'ACACACA'],
    [{ A: 0, B: 0 }, '-------'],
  ];
  for (const [spec, want] of cases) {
    const list = dests(spec);
    const s = createScheduler('rr');
    s.update(list);
    assert.equal(seq(s, list, 7), want, JSON.stringify(spec));
  }
});

test("rr: deleting the cursor's server resumes after its predecessor", () => {
  const list = dests({ A: 1, B: 1, C: 1, D: 1 });
  const s = createScheduler('rr');
  s.update(list);
  assert.equal(seq(s, list, 2), 'AB');
  const after = list.filter((d) => d.id !== 'B');
  s.update(after);
  assert.equal(seq(s, after, 4), 'CDAC');
});

test('wrr: weights 4,3,2 in list order A,B,C give A A B A B C A B C', () => {
  const cases: [Record<string, number>, string][] = [
    [{ A: 4, B: 3, C: 2 }, 'AABABCABC'.repeat(2)],
    [{ A: 4, B: 2 }, 'AAB'.repeat(3)],
    [{ A: 1, B: 1, C: 1 }, 'ABC'.repeat(3)],
    [{ A: 2, B: 0, C: 1 }, 'AAC'.repeat(3)],
    [{ A: 0, B: 0 }, '---'],
    [{ B: 2, A: 6 }, 'AABAAABA'.slice(0, 8)],
  ];
  for (const [spec, want] of cases) {
    const list = dests(spec);
    const s = createScheduler('wrr');
    s.update(list);
    assert.equal(seq(s, list, want.length), want, JSON.stringify(spec));
  }
});

test('wrr: update puts the cursor at the head and keeps cw when it is still within the max weight', () => {
  const list = dests({ A: 4, B: 3, C: 2 });
  const s = createScheduler('wrr');
  s.update(list);
  assert.equal(seq(s, list, 3), 'AAB');
  s.update(list);
  assert.equal(seq(s, list, 5), 'ABABC');
});

test('wrr: OVERLOAD-flagged servers are skipped; all flagged gives none, then it resumes', () => {
  const list = dests({ A: 4, B: 3, C: 2 });
  const s = createScheduler('wrr');
  s.update(list);
  (list[0] as TestDest).overloaded = true;
  assert.equal(seq(s, list, 5), 'BBCBC');
  for (const d of list) d.overloaded = true;
  assert.equal(seq(s, list, 2), '--');
  for (const d of list) d.overloaded = false;
  assert.ok(/^[ABC]{9}$/.test(seq(s, list, 9)));
});
