import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createScheduler } from './registry.ts';
import { dests, flow } from './testing.ts';

const H = 60 * 60_000;
const at = (nowMs: number) => flow('192.0.2.1', { virtualAddress: '198.51.100.1', nowMs });

test('lblcr: the set grows when its best member is locality-overloaded, and shrinks after 24 h unchanged', () => {
  const [a, b] = dests({ A: 1, B: 1 });
  if (!a || !b) throw new Error('fixture');
  const list = [a, b];
  const s = createScheduler('lblcr');
  s.update(list);
  const step = (nowMs: number, aActive: number, bActive: number) => {
    a.activeConns = aActive;
    b.activeConns = bActive;
    return s.pick(list, at(nowMs))?.id;
  };
  assert.equal(step(0, 5, 0), 'B', 'miss: set {B}');
  assert.equal(step(1000, 0, 5), 'A', 'B locality-overloaded (5 > 1, A under half): A joins, set {A, B}');
  assert.equal(step(2000, 0, 1), 'A', 'set min: A lighter');
  assert.equal(step(3000, 1, 0), 'B', 'set min: B lighter — both are members');
  assert.equal(step(12 * H, 1, 0), 'B', 'still both; lastUse refreshed');
  assert.equal(step(1000 + 24 * H, 1, 0), 'B', 'not yet more than 24 h since the last change');
  assert.equal(
    step(1001 + 24 * H, 1, 0),
    'B',
    'over 24 h unchanged: most loaded (A) erased; min chosen before',
  );
  assert.equal(step(1002 + 24 * H, 0, 1), 'B', 'set {B}: B although A is lighter');
});

test('lblcr: a set member that is unavailable or flagged is skipped; none usable means the wlc choice', () => {
  const [a, b, c] = dests({ A: 1, B: 1, C: 1 });
  if (!a || !b || !c) throw new Error('fixture');
  const list = [a, b, c];
  const s = createScheduler('lblcr');
  s.update(list);
  assert.equal(s.pick(list, at(0))?.id, 'A');
  a.available = false;
  assert.equal(s.pick(list, at(1))?.id, 'B', 'no usable member: wlc choice added');
  a.available = true;
  b.overloaded = true;
  assert.equal(s.pick(list, at(2))?.id, 'A');
  a.overloaded = true;
  assert.equal(s.pick(list, at(3))?.id, 'C');
});
