import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResourceGroup } from './group.ts';
import { FakeResource } from './testing/fake-resource.ts';

function group(names: string[]) {
  const log: string[] = [];
  const rs = names.map((n) => new FakeResource(n, log));
  return { log, rs, g: new ResourceGroup('nodeA', rs) };
}

test('take starts left to right, give stops right to left; the key is the first resource', async () => {
  const { log, g } = group(['vip', 'svc', 'script']);
  assert.equal(g.key, 'vip');
  assert.equal(g.preferred, 'nodeA');
  const took = await g.take();
  assert.deepEqual(took, { result: { ok: true }, changed: true, owned: true });
  assert.deepEqual(log.splice(0), ['start vip', 'start svc', 'start script']);
  const gave = await g.give();
  assert.deepEqual(gave, { result: { ok: true }, changed: true, owned: false });
  assert.deepEqual(log.splice(0), ['stop script', 'stop svc', 'stop vip']);
});

test('take and give are idempotent, decided by the first resource alone', async () => {
  const { log, rs, g } = group(['vip', 'svc']);
  (rs[0] as FakeResource).running = true; // owned, even though svc is down
  assert.deepEqual(await g.take(), { result: { ok: true }, changed: false, owned: true });
  assert.deepEqual(log, []);
  (rs[0] as FakeResource).running = false;
  (rs[1] as FakeResource).running = true; // not owned: give touches nothing
  assert.deepEqual(await g.give(), { result: { ok: true }, changed: false, owned: false });
  assert.deepEqual(log, []);
});

test('a start failing midway stops the failed one and those before it, right to left', async () => {
  const cases: [number, string[]][] = [
    [0, ['start a', 'stop a']],
    [1, ['start a', 'start b', 'stop b', 'stop a']],
    [2, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']],
  ];
  for (const [failing, want] of cases) {
    const { log, rs, g } = group(['a', 'b', 'c']);
    (rs[failing] as FakeResource).failStart = true;
    const r = await g.take();
    assert.equal(r.result.ok, false);
    if (!r.result.ok) assert.match(r.result.reason, new RegExp(`^${'abc'[failing]}: told to fail`));
    assert.equal(r.owned, false);
    assert.deepEqual(log, want, `failing at ${failing}`);
    assert.ok(rs.every((x) => !x.running));
  }
});

test('give carries on past a failed stop and reports it', async () => {
  const { log, rs, g } = group(['vip', 'svc', 'script']);
  await g.take();
  log.length = 0;
  (rs[1] as FakeResource).failStop = true;
  const r = await g.give();
  assert.deepEqual(log, ['stop script', 'stop svc', 'stop vip']);
  assert.deepEqual(r.result, { ok: false, reason: 'svc: told to fail' });
  assert.equal(r.owned, false);
});

test('operations never overlap: a give issued during a take runs after it', async () => {
  const { log, g } = group(['vip', 'svc']);
  const [t, gv] = await Promise.all([g.take(), g.give()]);
  assert.equal(t.changed, true);
  assert.equal(gv.changed, true);
  assert.deepEqual(log, ['start vip', 'start svc', 'stop svc', 'stop vip']);
  g.announce();
  assert.deepEqual(log.slice(-2), ['announce vip', 'announce svc']);
  assert.throws(() => new ResourceGroup('x', []), /no resources/);
});

test('release stops everything right to left whenever any resource is running, owned or not', async () => {
  const { log, rs, g } = group(['svc', 'vip', 'script']);
  assert.deepEqual(await g.release(), { result: { ok: true }, changed: false, owned: false });
  assert.deepEqual(log, [], 'nothing running: nothing stopped');
  // A killed process left its address (a later resource) while the first one died with it: give would
  // see the group as not owned and leave the address; release removes it.
  (rs[1] as FakeResource).running = true;
  assert.deepEqual(await g.give(), { result: { ok: true }, changed: false, owned: false });
  assert.deepEqual(log, []);
  assert.deepEqual(await g.release(), { result: { ok: true }, changed: true, owned: false });
  assert.deepEqual(log.splice(0), ['stop script', 'stop vip', 'stop svc']);
  assert.ok(rs.every((x) => !x.running));
  // Owned: the same as give; failures are reported and the rest still stopped.
  await g.take();
  log.length = 0;
  (rs[2] as FakeResource).failStop = true;
  const r = await g.release();
  assert.deepEqual(r.result, { ok: false, reason: 'script: told to fail' });
  assert.deepEqual(log, ['stop script', 'stop vip', 'stop svc']);
  assert.equal(r.owned, false);
});
