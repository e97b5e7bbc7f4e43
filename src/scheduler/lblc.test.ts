import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENTRY_TIMEOUT_MS, ExpiringTable, MAX_ENTRIES } from './expiring-table.ts';
import { createScheduler } from './registry.ts';
import { dests, flow } from './testing.ts';

const H = 60 * 60_000;
const vip = (nowMs: number, virtualAddress = '198.51.100.1') => flow('192.0.2.1', { virtualAddress, nowMs });

test('lblc: a miss caches the wlc choice for the destination address; a hit reuses it', () => {
  const [a, b] = dests({ A: 1, B: 1 });
  if (!a || !b) throw new Error('fixture');
  const list = [a, b];
  const s = createScheduler('lblc');
  s.update(list);
  a.inactConns = 5;
  assert.equal(s.pick(list, vip(0))?.id, 'B', 'miss: wlc choice');
  a.inactConns = 0;
  b.inactConns = 9;
  assert.equal(s.pick(list, vip(1))?.id, 'B', 'hit, although A is now lighter');
  assert.equal(s.pick(list, vip(2, '198.51.100.2'))?.id, 'A', 'another destination: its own wlc choice');
});

test('lblc: a hit is replaced when its server is locality-overloaded, weight 0 or gone; OVERLOAD flag ignored', () => {
  const [a, b] = dests({ A: 1, B: 1 });
  if (!a || !b) throw new Error('fixture');
  const list = [a, b];
  const s = createScheduler('lblc');
  s.update(list);
  assert.equal(s.pick(list, vip(0))?.id, 'A');
  a.overloaded = true;
  assert.equal(s.pick(list, vip(1))?.id, 'A', 'kernel: the OVERLOAD flag is not tested on a hit');
  a.overloaded = false;
  a.activeConns = 2;
  b.activeConns = 1;
  assert.equal(s.pick(list, vip(2))?.id, 'A', 'active > weight, but no server under half its weight');
  b.activeConns = 0;
  assert.equal(s.pick(list, vip(3))?.id, 'B', 'active > weight and B is under half: replaced by wlc');
  a.activeConns = 0;
  assert.equal(s.pick(list, vip(4))?.id, 'B', 'the replacement is cached');
  b.weight = 0;
  assert.equal(s.pick(list, vip(5))?.id, 'A', 'weight 0: replaced');
  b.weight = 1;
  s.update([b]);
  assert.equal(s.pick([b], vip(6))?.id, 'B');
  s.update([a]);
  assert.equal(s.pick([a], vip(7))?.id, 'A', 'cached server left the list: replaced');
});

test('lblc: an entry unused for 24 h is dropped at the next half-hourly full check', () => {
  const [a, b] = dests({ A: 1, B: 1 });
  if (!a || !b) throw new Error('fixture');
  const list = [a, b];
  const run = (lastAt: number, nextAt: number) => {
    const s = createScheduler('lblc');
    s.update(list);
    a.inactConns = 1;
    b.inactConns = 0;
    s.pick(list, vip(0));
    s.pick(list, vip(lastAt));
    a.inactConns = 0;
    b.inactConns = 1;
    return s.pick(list, vip(nextAt))?.id;
  };
  // Timer armed at t=0: full checks at every 30 min; the entry goes at the first one >= lastUse + 24 h.
  assert.equal(run(1 * H, 25 * H - 1), 'B', 'not yet 24 h unused');
  assert.equal(run(1 * H, 25 * H), 'A', 'the full check at 25 h (a multiple of 30 min) drops it first');
  const late = 1 * H + 10 * 60_000;
  assert.equal(run(late, 25.5 * H - 1), 'B', '24 h passed at 25h10, but the next full check is at 25.5 h');
  assert.equal(run(late, 25.5 * H), 'A', 'dropped at the 25.5 h check: a fresh wlc choice');
  assert.equal(run(1 * H, 24 * 10 * H), 'A', 'long idle');
});

test('expiring table: over 16 x 1024 entries, each minute drops entries idle for 6 min, up to the goal', () => {
  const t = new ExpiringTable<{ address: string; lastUse: number }>();
  t.advance(0);
  const extra = 300;
  for (let i = 0; i < MAX_ENTRIES + extra; i++)
    t.add({ address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, lastUse: 0 });
  t.advance(ENTRY_TIMEOUT_MS - 1);
  assert.equal(t.size, MAX_ENTRIES + extra, 'nothing idle for 6 min yet');
  t.advance(ENTRY_TIMEOUT_MS);
  const goal = Math.trunc((extra * 4) / 3);
  assert.ok(t.size <= MAX_ENTRIES + extra - goal, `at least the goal (${goal}) went: ${t.size}`);
  assert.ok(t.size > MAX_ENTRIES + extra - goal - 200, `and then it stopped at a bucket boundary: ${t.size}`);
  const after = t.size;
  t.advance(ENTRY_TIMEOUT_MS + 60_000);
  assert.equal(t.size, after, 'at or under the limit: quiet');
});
