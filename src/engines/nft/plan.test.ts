import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NftServiceView } from './nft-model.ts';
import { plan } from './plan.ts';
import { render } from './render.ts';
import { nftInput, realView, serviceView } from './testing.ts';

const reals = [realView(1, '198.51.100.11'), realView(2, '198.51.100.12'), realView(3, '198.51.100.13')];
const base = (over: Partial<NftServiceView> = {}) =>
  render(
    nftInput([
      serviceView(0, { scheduler: 'wrr', persistence: { timeoutMs: 60_000, prefix: 32 }, reals, ...over }),
    ]),
  );
const withReal = (i: number, over: object, scheduler: NftServiceView['scheduler'] = 'wrr') =>
  base({ scheduler, reals: reals.map((r, j) => (j === i ? { ...r, ...over } : r)) });
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('plan', () => {
  it('first apply: removes any leftover table, then creates', () => {
    const p = plan(undefined, base());
    assert.equal(p.kind, 'fresh');
    assert.deepEqual(lines(p.script).slice(0, 3), [
      'add table inet webfarm',
      'delete table inet webfarm',
      'table inet webfarm {',
    ]);
  });

  it('no change: nothing to do', () => {
    assert.deepEqual(plan(base(), base()), { kind: 'none', script: '' });
  });

  // mh: M is fixed, so these are element-only (rr/wrr/fo: below, "rules").
  const elementCases = [
    {
      name: 'weight change',
      next: () => withReal(1, { weight: 2, lastWeight: 2 }, 'mh'),
      sets: ['s0_slots'],
    },
    {
      name: 'health down (removed)',
      next: () => withReal(1, { available: false }, 'mh'),
      sets: ['s0_slots', 's0_avail'],
    },
    { name: 'quiesce (weight 0)', next: () => withReal(2, { weight: 0 }, 'mh'), sets: ['s0_slots'] },
    {
      name: 'wrr weights scaled alike (same period)',
      next: () => base({ reals: reals.map((r) => ({ ...r, weight: 2, lastWeight: 2 })) }),
      sets: [],
    },
  ];
  for (const c of elementCases) {
    it(`${c.name}: element commands only, on ${c.sets.join(' and ') || 'nothing'}`, () => {
      const from = c.name.startsWith('wrr') ? base() : base({ scheduler: 'mh' });
      const p = plan(from, c.next());
      if (c.sets.length === 0) return assert.deepEqual(p, { kind: 'none', script: '' });
      assert.equal(p.kind, 'elements');
      for (const l of lines(p.script)) assert.match(l, /^(add|delete) element inet webfarm (\S+) \{/);
      const touched = new Set(lines(p.script).map((l) => l.split(' ')[4]));
      assert.deepEqual([...touched].sort(), [...c.sets].sort());
    });
  }

  const ruleCases = [
    { name: 'weight change', next: () => withReal(1, { weight: 2, lastWeight: 2 }), m: 4 },
    { name: 'health down', next: () => withReal(1, { available: false }), m: 2 },
    { name: 'quiesce', next: () => withReal(2, { weight: 0 }), m: 2 },
  ];
  for (const c of ruleCases) {
    it(`wrr ${c.name}: the new period M in the one chain holding it, the slots as elements`, () => {
      const p = plan(base(), c.next());
      assert.equal(p.kind, 'rules');
      const ls = lines(p.script);
      assert.equal(ls[0], 'flush chain inet webfarm s0');
      const rules = ls.filter((l) => l.startsWith('add rule'));
      assert.ok(rules.every((l) => l.startsWith('add rule inet webfarm s0 ')));
      assert.ok(rules.some((l) => l.includes(`numgen inc mod ${c.m} map @s0_slots`)));
      const other = ls.filter((l) => !l.startsWith('add rule') && l !== ls[0]);
      for (const l of other) assert.match(l, /^(add|delete) element inet webfarm s0_(slots|avail) \{/);
    });
  }

  it('an element that changes value is deleted and re-added in the same batch', () => {
    const p = plan(base(), withReal(1, { weight: 2, lastWeight: 2 }));
    const del = lines(p.script).find((l) => l.startsWith('delete element'));
    const add = lines(p.script).find((l) => l.startsWith('add element'));
    assert.ok(del && add);
    assert.ok(p.script.indexOf(del) < p.script.indexOf(add));
  });

  // No object per real server: adding or removing one touches elements (and wrr's M rule), never the shape.
  const realCases = [
    {
      name: 'real added',
      next: () => base({ reals: [realView(4, '198.51.100.14'), ...reals] }),
      op: 'add',
      mark: 4,
    },
    { name: 'real removed', next: () => base({ reals: reals.slice(1) }), op: 'delete', mark: 1 },
  ];
  for (const c of realCases) {
    it(`${c.name}: no rebuild; the counted sets and the DNAT map change by one element`, () => {
      const p = plan(base(), c.next());
      assert.equal(p.kind, 'rules');
      const ls = lines(p.script);
      for (const set of ['r_new', 'r_in', 'r_out'])
        assert.ok(ls.includes(`${c.op} element inet webfarm ${set} { ${c.mark} }`), set);
      assert.ok(ls.some((l) => l.startsWith(`${c.op} element inet webfarm s0_dnat { ${c.mark}`)));
      assert.ok(!ls.some((l) => l.startsWith('flush table') || l.startsWith('flush set')));
    });
  }

  const shapeCases = [
    { name: 'scheduler changed', next: () => base({ scheduler: 'sh' }) },
    { name: 'persistence off', next: () => render(nftInput([serviceView(0, { scheduler: 'wrr', reals })])) },
  ];
  for (const c of shapeCases) {
    it(`${c.name}: rebuild in place, in one batch, keeping unchanged dynamic maps`, () => {
      const p = plan(base(), c.next());
      assert.equal(p.kind, 'rebuild');
      const ls = lines(p.script);
      assert.equal(ls[0], 'flush table inet webfarm');
      assert.ok(!ls.includes('delete table inet webfarm'));
      const persistKept = c.name !== 'persistence off';
      assert.equal(ls.includes('delete map inet webfarm s0_persist'), !persistKept);
    });
  }

  it('rebuild deletes what went away; counted sets are never flushed, only their gone elements deleted', () => {
    const two = render(
      nftInput([
        serviceView(0, { scheduler: 'wrr', reals }),
        serviceView(1, { port: 81, reals: [realView(4, '198.51.100.14')] }),
      ]),
    );
    const p = plan(two, render(nftInput([serviceView(0, { scheduler: 'wrr', reals })])));
    assert.equal(p.kind, 'rebuild');
    const ls = lines(p.script);
    assert.equal(ls[0], 'flush table inet webfarm');
    for (const l of [
      'delete chain inet webfarm s1',
      'delete chain inet webfarm s1_go',
      'delete map inet webfarm s1_dnat',
      'delete map inet webfarm s1_slots',
      'delete element inet webfarm r_new { 4 }',
      'delete element inet webfarm r_out { 4 }',
      'delete element inet webfarm drops { 1 }',
      'flush map inet webfarm s0_dnat',
    ])
      assert.ok(ls.includes(l), l);
    assert.ok(!ls.some((l) => /^flush set inet webfarm (r_new|r_in|r_out|drops)$/.test(l)));
  });

  it('a table no longer needed is deleted; a new one created', () => {
    const dr = render(
      nftInput([
        serviceView(0, {
          mode: 'dr',
          device: 'eth0',
          deviceMac: '02:00:00:00:00:01',
          reals: [realView(1, '198.51.100.11', { mac: '02:00:00:00:00:11' })],
        }),
      ]),
    );
    const p = plan(base(), dr);
    assert.equal(p.kind, 'rebuild');
    assert.ok(p.script.includes('delete table inet webfarm\n'));
    assert.ok(p.script.includes('table netdev webfarm {'));
  });
});
