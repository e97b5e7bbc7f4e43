import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWebfarmError } from '../../model/errors.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { ResourceGroup } from '../resources/group.ts';
import { failed, OK } from '../resources/resource.ts';
import { FakeResource } from '../resources/testing/fake-resource.ts';
import { ResourceManager, type TimedManagerEvent } from './manager.ts';
import type { StonithDevice } from './stonith.ts';
import { FakeMembershipPair } from './testing/fake-membership.ts';

/** Two nodes, alpha preferring vipA (+ svcA), beta preferring vipB; each node has its own resources. */
function cluster(opts: { autoFailback?: boolean; stonith?: StonithDevice } = {}) {
  const clock = new FakeClock();
  const pair = new FakeMembershipPair('alpha', 'beta');
  const node = (view: typeof pair.a) => {
    const log: string[] = [];
    const res = {
      vipA: new FakeResource('vipA', log),
      svcA: new FakeResource('svcA', log),
      vipB: new FakeResource('vipB', log),
    };
    const groups = [new ResourceGroup('alpha', [res.vipA, res.svcA]), new ResourceGroup('beta', [res.vipB])];
    const events: TimedManagerEvent[] = [];
    const m = new ResourceManager({
      clock,
      membership: view,
      groups,
      autoFailback: opts.autoFailback ?? true,
      ...(opts.stonith === undefined ? {} : { stonith: opts.stonith }),
    });
    m.on((e) => events.push(e));
    const holds = () =>
      m
        .groups()
        .filter((g) => g.held)
        .map((g) => g.key);
    return { m, log, res, events, view, holds };
  };
  const a = node(pair.a);
  const b = node(pair.b);
  /** Drain: every in-flight operation and every message they cause, bounded. */
  const settle = async () => {
    for (let i = 0; i < 50; i += 1) {
      await a.m.settled();
      await b.m.settled();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { clock, pair, a, b, settle };
}

async function upBoth(c: ReturnType<typeof cluster>) {
  await c.a.m.start();
  await c.b.m.start();
  c.a.view.peerUp();
  c.b.view.peerUp();
  await c.settle();
}

test('start: each node takes its preferred group; the address comes before its service', async () => {
  const c = cluster();
  await upBoth(c);
  assert.deepEqual(c.a.holds(), ['vipA']);
  assert.deepEqual(c.b.holds(), ['vipB']);
  assert.deepEqual(c.a.log, ['start vipA', 'start svcA']);
});

test("peer death: the survivor takes the dead node's group; auto_failback on gives it back on return", async () => {
  const c = cluster();
  await upBoth(c);
  c.pair.linked = false;
  c.a.view.peerDead();
  await c.settle();
  assert.deepEqual(c.a.holds(), ['vipA', 'vipB']);
  // beta "restarts": its resources are gone.
  c.b.res.vipB.running = false;
  c.b.m.stop();
  const fresh = new ResourceManager({
    clock: c.clock,
    membership: c.pair.b,
    groups: [
      new ResourceGroup('alpha', [c.b.res.vipA, c.b.res.svcA]),
      new ResourceGroup('beta', [c.b.res.vipB]),
    ],
    autoFailback: true,
  });
  await fresh.start();
  c.pair.linked = true;
  c.a.view.peerUp('returned');
  c.b.view.peerUp();
  await c.settle();
  await fresh.settled();
  await c.settle();
  assert.deepEqual(c.a.holds(), ['vipA']);
  assert.deepEqual(
    fresh
      .groups()
      .filter((g) => g.held)
      .map((g) => g.key),
    ['vipB'],
  );
  assert.ok(c.a.events.some((e) => e.kind === 'request-received' && e.group === 'vipB'));
});

test('auto_failback off: the returning preferred node does not get its group back', async () => {
  const c = cluster({ autoFailback: false });
  await upBoth(c);
  c.pair.linked = false;
  c.b.view.peerDead();
  await c.settle();
  assert.deepEqual(c.b.holds(), ['vipA', 'vipB']);
  c.a.res.vipA.running = false; // alpha rebooted
  c.a.res.svcA.running = false;
  c.pair.linked = true;
  c.b.view.peerUp('returned');
  c.a.view.peerUp('returned');
  await c.settle();
  assert.deepEqual(c.b.holds(), ['vipA', 'vipB']);
  assert.deepEqual(c.a.res.vipA.running, false);
});

test('standby moves everything to the peer; takeover brings it all back', async () => {
  const c = cluster();
  await upBoth(c);
  assert.deepEqual(c.a.m.standby(), { accepted: true, reason: 'giving every group' });
  await c.settle();
  assert.deepEqual(c.a.holds(), []);
  assert.deepEqual(c.b.holds(), ['vipA', 'vipB']);
  assert.deepEqual(c.a.log.slice(-2), ['stop svcA', 'stop vipA']);
  assert.equal(c.a.m.takeover().accepted, true);
  await c.settle();
  assert.deepEqual(c.a.holds(), ['vipA', 'vipB']);
  assert.deepEqual(c.b.holds(), []);
});

test('standby is refused while the peer is not up', async () => {
  const c = cluster();
  await c.a.m.start();
  const r = c.a.m.standby();
  assert.equal(r.accepted, false);
  assert.match(r.reason, /peer is not up/);
});

test('STONITH: takeover waits for a successful reset, retrying every 5 s on the clock', async () => {
  const outcomes = [failed('exit 1'), failed('exit 1'), OK];
  const resets: string[] = [];
  const stonith: StonithDevice = {
    async reset(node) {
      resets.push(node);
      return outcomes.shift() ?? OK;
    },
  };
  const c = cluster({ stonith });
  await upBoth(c);
  c.pair.linked = false;
  c.a.view.peerDead();
  await c.settle();
  assert.deepEqual(resets, ['beta']);
  assert.deepEqual(c.a.holds(), ['vipA'], 'no takeover before the reset succeeded');
  c.clock.advance(4999);
  await c.settle();
  assert.equal(resets.length, 1);
  c.clock.advance(1);
  await c.settle();
  assert.equal(resets.length, 2);
  c.clock.advance(5000);
  await c.settle();
  assert.equal(resets.length, 3);
  assert.deepEqual(c.a.holds(), ['vipA', 'vipB']);
  const kinds = c.a.events.filter((e) => e.kind.startsWith('stonith')).map((e) => `${e.kind}#${e.attempt}`);
  assert.deepEqual(kinds, [
    'stonith-attempt#1',
    'stonith-failed#1',
    'stonith-attempt#2',
    'stonith-failed#2',
    'stonith-attempt#3',
    'stonith-ok#3',
  ]);
});

test('split brain: both take everything while partitioned; on heal one owner each, keeper re-announces', async () => {
  const c = cluster();
  await upBoth(c);
  c.pair.linked = false;
  c.a.view.peerDead();
  c.b.view.peerDead();
  await c.settle();
  assert.deepEqual(c.a.holds(), ['vipA', 'vipB']);
  assert.deepEqual(c.b.holds(), ['vipA', 'vipB']);
  c.pair.linked = true;
  c.a.view.peerUp('returned');
  c.b.view.peerUp('returned');
  await c.settle();
  assert.deepEqual(c.a.holds(), ['vipA']);
  assert.deepEqual(c.b.holds(), ['vipB']);
  assert.equal(c.a.res.vipA.announced, 1, 'alpha re-announces vipA');
  assert.equal(c.b.res.vipB.announced, 1, 'beta re-announces vipB');
  assert.equal(c.a.res.vipB.announced + c.b.res.vipA.announced, 0, 'the releasing side announces nothing');
  assert.ok(c.a.events.some((e) => e.kind === 'split-brain' && /beta keeps it/.test(e.reason)));
});

test('construction: exactly two nodes, unique one-token keys', () => {
  const pair = new FakeMembershipPair('alpha', 'beta');
  const clock = new FakeClock();
  const g = (key: string) => new ResourceGroup('alpha', [new FakeResource(key)]);
  const bad = [[g('x'), g('x')], [g('a b')]];
  for (const groups of bad) {
    assert.throws(
      () => new ResourceManager({ clock, membership: pair.a, groups, autoFailback: true }),
      (e: unknown) => isWebfarmError(e) && e.code === 'WF_ERR_CLUSTER_RESOURCE',
    );
  }
  const three = { ...pair.a, self: 'alpha', peers: () => ['beta', 'gamma'] } as unknown as typeof pair.a;
  assert.throws(
    () => new ResourceManager({ clock, membership: three, groups: [g('x')], autoFailback: true }),
  );
});
