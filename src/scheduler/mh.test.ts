import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWebfarmError } from '../model/errors.ts';
import { buildMaglevTable, MH_KEY1, maglevHash } from './maglev-table.ts';
import { createScheduler } from './registry.ts';
import { dests, flow, manyFlow, type TestDest } from './testing.ts';

const N = 2000;

function owners(list: TestDest[], flags: ('mh-fallback' | 'mh-port')[] = []): (string | undefined)[] {
  const s = createScheduler('mh', flags);
  s.update(list);
  return Array.from({ length: N }, (_, i) => s.pick(list, manyFlow(i))?.id);
}

test('mh: lookup is the table slot hsiphash(client address) mod size', () => {
  const list = dests({ A: 1, B: 2, C: 3 });
  const table = buildMaglevTable(
    list.map((d) => ({ address: d.address, port: d.port, lastWeight: d.weight })),
    65521,
  );
  const s = createScheduler('mh');
  s.update(list);
  for (let i = 0; i < 200; i++) {
    const f = manyFlow(i);
    const slot = maglevHash(f.clientAddress, 0, MH_KEY1, 0) % 65521;
    assert.equal(s.pick(list, f)?.id, list[table[slot] as number]?.id);
  }
});

test('mh: a server quiesced to weight 0 keeps its slots (kernel last_weight); its flows return on re-weight', () => {
  const list = dests({ A: 1, B: 1, C: 1 });
  const plain = createScheduler('mh');
  const fb = createScheduler('mh', ['mh-fallback']);
  const all = () => ({
    plain: Array.from({ length: N }, (_, i) => plain.pick(list, manyFlow(i))?.id),
    fallback: Array.from({ length: N }, (_, i) => fb.pick(list, manyFlow(i))?.id),
  });
  plain.update(list);
  fb.update(list);
  const base = all().plain;
  (list[1] as TestDest).weight = 0;
  plain.update(list);
  fb.update(list);
  const quiet = all();
  base.forEach((was, i) => {
    if (was === 'B') {
      assert.equal(quiet.plain[i], undefined, 'no fallback: none');
      assert.ok(quiet.fallback[i] === 'A' || quiet.fallback[i] === 'C', 'mh-fallback: another server');
    } else {
      assert.equal(quiet.plain[i], was, 'other flows stay');
      assert.equal(quiet.fallback[i], was);
    }
  });
  (list[1] as TestDest).weight = 1;
  plain.update(list);
  fb.update(list);
  assert.deepEqual(all().plain, base);
});

test('mh: a server added with weight 0 has no slots', () => {
  const list = dests({ A: 1, B: 0, C: 1 });
  assert.ok(!owners(list).includes(undefined));
  assert.ok(!owners(list).includes('B'));
});

test('mh: mh-port spreads one client over servers by source port; without it the port is ignored', () => {
  const list = dests({ A: 1, B: 1, C: 1, D: 1 });
  const seen = (flags: 'mh-port'[]) => {
    const s = createScheduler('mh', flags);
    s.update(list);
    return new Set(
      Array.from({ length: 64 }, (_, p) => s.pick(list, flow('192.0.2.7', { clientPort: 1024 + p }))?.id),
    );
  };
  assert.equal(seen([]).size, 1);
  assert.ok(seen(['mh-port']).size > 1);
});

test('mh: weights are honoured in the share of flows', () => {
  const got = owners(dests({ A: 1, B: 3 }));
  const b = got.filter((id) => id === 'B').length / N;
  assert.ok(b > 0.7 && b < 0.8, `B share ${b}`);
});

test('mh: the table size must be one of the kernel primes', () => {
  assert.doesNotThrow(() => createScheduler('mh', [], { mhTableSize: 251 }));
  assert.throws(
    () => createScheduler('mh', [], { mhTableSize: 1000 }),
    (e) => isWebfarmError(e) && e.code === 'WF_ERR_SCHEDULER_OPTION',
  );
});
