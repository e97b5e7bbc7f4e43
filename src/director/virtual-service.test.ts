import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../platform/fake-clock.ts';
import { Director } from './director.ts';
import { flow, realSpec, svcSpec } from './test-support.ts';
import type { VirtualService } from './virtual-service.ts';

function open(svc: VirtualService, client: string, nowMs = 0) {
  const f = flow(client, nowMs);
  const s = svc.schedule(f);
  assert.ok(s.ok, 'expected a real server');
  return svc.open(s, f);
}

test('scheduling list is newest first: a real added later is tried first by rr', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec(), [realSpec(1), realSpec(2)]);
  d.addReal(svc.id, realSpec(3));
  const picks = [1, 2, 3, 4].map(() => open(svc, '203.0.113.1').dest.address);
  assert.deepEqual(picks, ['198.51.100.3', '198.51.100.2', '198.51.100.1', '198.51.100.3']);
});

test('connection accounting: inactive until established, active, inactive after FIN, gone at close', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec(), [realSpec(1)]);
  const c = open(svc, '203.0.113.1');
  const r = c.dest;
  assert.deepEqual([r.activeConns, r.inactConns, r.stats.conns, svc.stats.conns], [0, 1, 1, 1]);
  c.established();
  assert.deepEqual([r.activeConns, r.inactConns], [1, 0]);
  c.countIn(100);
  c.countOut(250);
  c.countOut(50);
  assert.deepEqual(r.stats.toJSON(), { conns: 1, inPkts: 1, outPkts: 2, inBytes: 100, outBytes: 300 });
  assert.deepEqual(svc.stats.toJSON(), r.stats.toJSON());
  c.closing();
  assert.deepEqual([r.activeConns, r.inactConns], [0, 1]);
  c.close(0);
  c.close(0);
  assert.deepEqual([r.activeConns, r.inactConns, svc.connections.size], [0, 0, 0]);
});

test('weight 0 (quiescent) gets no new connection but keeps its existing one', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec(), [realSpec(1), realSpec(2)]);
  const first = open(svc, '203.0.113.1');
  first.established();
  d.editReal(svc.id, first.dest.id, { weight: 0 });
  for (let i = 0; i < 5; i++) assert.notEqual(open(svc, '203.0.113.2').dest, first.dest);
  assert.equal(first.state, 'established');
  assert.equal(first.dest.activeConns, 1);
});

test('no usable real server: schedule says so', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec(), [realSpec(1, { weight: 0 })]);
  assert.deepEqual(svc.schedule(flow('203.0.113.1')), { ok: false });
  d.editReal(svc.id, '198.51.100.1:80', { weight: 1, health: 'down' });
  assert.deepEqual(svc.schedule(flow('203.0.113.1')), { ok: false });
  d.editReal(svc.id, '198.51.100.1:80', { health: 'up', admin: 'maintenance' });
  assert.deepEqual(svc.schedule(flow('203.0.113.1')), { ok: false });
});

test('thresholds: OVERLOAD at upper skips the server, clears at 3/4 of upper', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec(), [realSpec(1), realSpec(2, { upperThreshold: 4 })]);
  const busy = svc.findReal('198.51.100.2:80')!;
  const conns = [];
  while (busy.totalConns < 4) conns.push(open(svc, '203.0.113.9'));
  assert.equal(busy.overloaded, true);
  for (let i = 0; i < 4; i++) assert.equal(open(svc, '203.0.113.9').dest.address, '198.51.100.1');
  const mine = conns.filter((c) => c.dest === busy);
  mine[0]!.close(0);
  assert.equal(busy.overloaded, true, '3 of 4 is not below 3/4 of upper');
  mine[1]!.close(0);
  assert.equal(busy.overloaded, false, '2 is below 3/4 of 4');
});

test('persistence: a client keeps its real server; another network may go elsewhere', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec({ persistence: { timeoutMs: 300_000, prefix: 24 } }), [
    realSpec(1),
    realSpec(2),
  ]);
  const a = open(svc, '203.0.113.10');
  for (let i = 0; i < 4; i++) assert.equal(open(svc, '203.0.113.10').dest, a.dest);
  assert.equal(open(svc, '203.0.113.99').dest, a.dest, 'same /24 shares the template');
  assert.notEqual(open(svc, '198.51.100.200').dest, a.dest, 'rr moves a new network on');
  assert.equal(a.dest.persistConns, 1);
});

test('persistence: the template expires after the timeout once its connections are closed', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec({ persistence: { timeoutMs: 1000, prefix: 32 } }), [
    realSpec(1),
    realSpec(2),
  ]);
  const c = open(svc, '203.0.113.10', 0);
  const first = c.dest;
  assert.equal(open(svc, '203.0.113.10', 5000).dest, first, 'held while the first connection is live');
  c.close(5000);
  for (const x of [...svc.connections]) x.close(5000);
  assert.equal(open(svc, '203.0.113.10', 5500).dest, first, 'within timeout after the last close');
  for (const x of [...svc.connections]) x.close(5500);
  svc.sweep(7000);
  assert.equal(first.persistConns, 0, 'template swept');
});

test('persistence with a quiescent server: template honoured by default, expired by option', () => {
  for (const expire of [false, true]) {
    const d = new Director(new FakeClock());
    const svc = d.addService(
      svcSpec({ persistence: { timeoutMs: 300_000, prefix: 32 }, expireQuiescentTemplate: expire }),
      [realSpec(1), realSpec(2)],
    );
    const first = open(svc, '203.0.113.10').dest;
    d.editReal(svc.id, first.id, { weight: 0 });
    const again = open(svc, '203.0.113.10').dest;
    assert.equal(again === first, !expire, `expireQuiescentTemplate=${expire}`);
  }
});

test('persistence: a template to a down server is replaced', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec({ persistence: { timeoutMs: 300_000, prefix: 32 } }), [
    realSpec(1),
    realSpec(2),
  ]);
  const first = open(svc, '203.0.113.10').dest;
  d.editReal(svc.id, first.id, { health: 'down' });
  const next = open(svc, '203.0.113.10').dest;
  assert.notEqual(next, first);
  assert.equal(open(svc, '203.0.113.10').dest, next);
});

test('redispatch: excluded servers are skipped, template bypassed', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec({ persistence: { timeoutMs: 300_000, prefix: 32 } }), [
    realSpec(1),
    realSpec(2),
  ]);
  const first = open(svc, '203.0.113.10').dest;
  const s = svc.schedule(flow('203.0.113.10'), new Set([first]));
  assert.ok(s.ok);
  assert.notEqual(s.dest, first);
  const none = svc.schedule(flow('203.0.113.10'), new Set(svc.dests));
  assert.deepEqual(none, { ok: false });
});

test('removing a real server leaves its live connection and drops its templates', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec({ persistence: { timeoutMs: 300_000, prefix: 32 } }), [
    realSpec(1),
    realSpec(2),
  ]);
  const c = open(svc, '203.0.113.10');
  c.established();
  d.removeReal(svc.id, c.dest.id);
  assert.equal(c.state, 'established');
  assert.equal(c.dest.persistConns, 0);
  assert.notEqual(open(svc, '203.0.113.10').dest, c.dest);
  c.close(0);
  assert.equal(c.dest.activeConns, 0);
});

test('model rejects bad input whole: duplicate service, duplicate real, weight range, port 0', () => {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec(), [realSpec(1)]);
  assert.throws(() => d.addService(svcSpec()), { code: 'WF_ERR_DIRECTOR_DUPLICATE_SERVICE' });
  assert.throws(() => d.addReal(svc.id, realSpec(1)), { code: 'WF_ERR_DIRECTOR_DUPLICATE_REAL' });
  assert.throws(() => d.addReal(svc.id, realSpec(2, { weight: 65536 })), { code: 'WF_ERR_DIRECTOR_INVALID' });
  assert.throws(() => d.editReal(svc.id, '198.51.100.1:80', { weight: -1 }), {
    code: 'WF_ERR_DIRECTOR_INVALID',
  });
  assert.equal(svc.findReal('198.51.100.1:80')!.configuredWeight, 1, 'failed edit changed nothing');
  assert.throws(() => d.addService(svcSpec({ port: 0 })), { code: 'WF_ERR_DIRECTOR_INVALID' });
  assert.throws(() => d.addService(svcSpec({ port: 81, scheduler: 'nope' as 'rr' })), {
    code: 'WF_ERR_SCHEDULER_UNKNOWN',
  });
  assert.equal(d.services.size, 1);
});
