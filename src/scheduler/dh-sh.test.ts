import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET_COUNT, fillBuckets } from './bucket-table.ts';
import { foldAddress, hash32 } from './hash.ts';
import { createScheduler } from './registry.ts';
import type { SchedulerFlag } from './scheduler.ts';
import { dests, flow, type TestDest } from './testing.ts';

test('bucket fill: dh one bucket each in list order, sh `weight` consecutive buckets (weight 0 still one)', () => {
  const names = (t: Int32Array, list: TestDest[]) => [...t.slice(0, 9)].map((i) => list[i]?.id).join('');
  const list = dests({ A: 2, B: 0, C: 3 });
  assert.equal(names(fillBuckets(list, false), list), 'ABCABCABC');
  assert.equal(names(fillBuckets(list, true), list), 'AABCCCAAB');
  assert.deepEqual([...fillBuckets([], true)], new Array(BUCKET_COUNT).fill(-1));
});

// Golden buckets, worked out with the kernel formula hash_32(ntohl(addr), 8) = (addr * 0x61C88647 mod 2^32) >> 24.
test('dh: the destination (virtual) address picks bucket hash_32(addr, 8); buckets A,B,C round robin', () => {
  const cases: [string, number, string][] = [
    ['198.51.100.1', 96, 'A'],
    ['198.51.100.2', 194, 'C'],
    ['198.51.100.3', 35, 'C'],
    ['203.0.113.7', 124, 'B'],
    ['2001:db8::1', 63, 'A'],
  ];
  const list = dests({ A: 1, B: 5, C: 1 });
  const s = createScheduler('dh');
  s.update(list);
  for (const [vip, bucket, want] of cases) {
    assert.equal(hash32(foldAddress(vip), 8), bucket, vip);
    assert.equal(s.pick(list, flow('192.0.2.9', { virtualAddress: vip }))?.id, want, vip);
    assert.equal(s.pick(list, flow('203.0.113.99', { virtualAddress: vip }))?.id, want, 'client ignored');
  }
  (list[0] as TestDest).overloaded = true;
  assert.equal(s.pick(list, flow('192.0.2.9', { virtualAddress: '198.51.100.1' })), undefined, 'no fallback');
});

test('sh: client address (+ client port with sh-port) picks the bucket; A2,B1 fill A A B', () => {
  const cases: [string, number, SchedulerFlag[], string][] = [
    ['192.0.2.1', 40000, [], 'B'],
    ['192.0.2.77', 40000, [], 'A'],
    ['192.0.2.1', 40000, ['sh-port'], 'A'],
    ['192.0.2.1', 40001, ['sh-port'], 'B'],
  ];
  const list = dests({ A: 2, B: 1 });
  for (const [client, clientPort, flags, want] of cases) {
    const s = createScheduler('sh', flags);
    s.update(list);
    const f = flow(client, { clientPort, virtualAddress: '203.0.113.1' });
    assert.equal(s.pick(list, f)?.id, want, `${client}:${clientPort} ${flags}`);
  }
});

test('sh: an unusable hashed server gives none, or with sh-fallback the kernel walk finds a usable one', () => {
  const list = dests({ A: 1, B: 1, C: 1, D: 1 });
  const plain = createScheduler('sh');
  const fb = createScheduler('sh', ['sh-fallback']);
  plain.update(list);
  fb.update(list);
  const table = fillBuckets(list, true);
  let checked = 0;
  for (let i = 0; i < 256; i++) {
    const f = flow(`192.0.2.${i}`);
    const key = foldAddress(f.clientAddress);
    const ihash = hash32(key, 8);
    if (table[ihash] !== 1) continue;
    (list[1] as TestDest).available = false;
    assert.equal(plain.pick(list, f), undefined);
    let want: string | undefined;
    for (let off = 0; off < 256 && !want; off++) {
      const d = list[table[(((off + ihash) % 256) + hash32(key, 8)) & 255] as number] as TestDest;
      if (d.available) want = d.id;
    }
    assert.equal(fb.pick(list, f)?.id, want);
    (list[1] as TestDest).available = true;
    assert.equal(fb.pick(list, f)?.id, 'B');
    checked++;
  }
  assert.ok(checked > 20);
});
