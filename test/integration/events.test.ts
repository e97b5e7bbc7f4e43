import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildAdminApi } from '../../src/admin/api.ts';
import { runWithCause } from '../../src/admin/events/cause.ts';
import { AdminRuntime } from '../../src/admin/runtime.ts';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import { type AdminTarget, adminCall, adminJson, eventOf, openEvents } from '../support/admin-http.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, freePort, until } from '../support/net.ts';
import { type TestServer, echoServer } from '../support/servers.ts';

// GET /v1/events over the admin socket: every change with its cause, heartbeats, resumption, no leaks.
/** The system clock, counting live intervals (the stream's heartbeat timers). */
let liveIntervals = 0;
const countingClock: Clock = {
  ...systemClock,
  setInterval(fn, ms) {
    const t = systemClock.setInterval(fn, ms);
    liveIntervals++;
    let live = true;
    return {
      cancel() {
        if (live) liveIntervals--;
        live = false;
        t.cancel();
      },
    };
  },
};
let farm: ProxyFarm;
let echo: TestServer;
let runtime: AdminRuntime;
let http: Server;
let dir: string;
let target: AdminTarget;
let realPath: string;
let subject: string;

before(async () => {
  echo = await echoServer();
  farm = await startProxyFarm({ reals: [realAt(echo.port)] });
  runtime = new AdminRuntime({ director: farm.director, heartbeatMs: 25, clock: countingClock });
  const info = { pid: process.pid, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };
  http = createServer(buildAdminApi(farm.director, info, { engine: farm.engine, runtime }));
  dir = await mkdtemp(join(tmpdir(), 'wf-events-'));
  const socketPath = join(dir, 'admin.sock');
  http.listen(socketPath);
  await once(http, 'listening');
  target = { socketPath };
  const rid = `${LOOPBACK}:${echo.port}`;
  realPath = `/v1/services/${encodeURIComponent(farm.svc.id)}/reals/${encodeURIComponent(rid)}`;
  subject = `${farm.svc.id}/${rid}`;
});

after(async () => {
  http.close();
  runtime.stop();
  await farm.stop();
  await echo.close();
  await rm(dir, { recursive: true, force: true });
});

test('an API change arrives with what changed and cause api; health and config changes with theirs', async () => {
  const s = await openEvents(target);
  assert.equal(s.status, 200);
  try {
    const r = await adminJson(target, 'PATCH', realPath, { weight: 5 });
    assert.equal(r.status, 200);
    const m = await s.waitFor((x) => x.event === 'real-changed', 'real-changed event');
    const e = eventOf(m);
    assert.equal(m.id, String(e.id));
    assert.equal(e.subject, subject);
    assert.deepEqual(e.cause, { source: 'api', detail: `PATCH ${realPath}` });
    assert.deepEqual(e.data.changes, {
      configuredWeight: { from: 1, to: 5 },
      weight: { from: 1, to: 5 },
    });
    assert.match(e.time, /^\d{4}-\d\d-\d\dT/);

    // Only the health checker writes health fields; outside any request the cause is config.
    farm.director.editReal(farm.svc.id, `${LOOPBACK}:${echo.port}`, { health: 'down', healthReason: 'x' });
    runWithCause({ source: 'config' }, () =>
      farm.director.editReal(farm.svc.id, `${LOOPBACK}:${echo.port}`, { health: 'up', weight: 2 }),
    );
    farm.director.editReal(farm.svc.id, `${LOOPBACK}:${echo.port}`, { upperThreshold: 10 });
    const changed = await s.waitFor(
      (x) => x.event === 'real-changed' && 'upperThreshold' in (eventOf(x).data.changes as object),
      'third real-changed',
    );
    const all = s.messages.filter((x) => x.event === 'real-changed').map(eventOf);
    assert.deepEqual(
      all.map((x) => x.cause.source),
      ['api', 'health', 'config', 'config'],
    );
    assert.deepEqual(eventOf(changed).data.changes, { upperThreshold: { from: 0, to: 10 } });
  } finally {
    s.close();
  }
});

test('service and real added/removed through the API; passive engine events; type and subject filters', async () => {
  const s = await openEvents(target, '?type=service-added,real-removed,passive-ejected');
  try {
    const port = await freePort();
    const add = await adminJson(target, 'POST', '/v1/services', { protocol: 'tcp', address: LOOPBACK, port });
    assert.equal(add.status, 201);
    const sid = `tcp:${LOOPBACK}:${port}`;
    await adminJson(target, 'POST', `/v1/services/${encodeURIComponent(sid)}/reals`, {
      address: LOOPBACK,
      port: 9,
    });
    await adminJson(
      target,
      'DELETE',
      `/v1/services/${encodeURIComponent(sid)}/reals/${encodeURIComponent(`${LOOPBACK}:9`)}`,
    );
    runtime.onEngineEvent({
      event: 'passive-ejected',
      service: farm.svc.id,
      real: `${LOOPBACK}:${echo.port}`,
      reason: 'connect-refused',
      failures: 3,
      timesEjected: 1,
      durationMs: 30000,
    });
    await s.waitFor((x) => x.event === 'passive-ejected', 'passive-ejected');
    assert.deepEqual(
      s.messages
        .filter((x) => x.event !== '')
        .map((x) => [x.event, eventOf(x).subject, eventOf(x).cause.source]),
      [
        ['service-added', sid, 'api'],
        ['real-removed', `${sid}/${LOOPBACK}:9`, 'api'],
        ['passive-ejected', subject, 'passive'],
      ],
    );
    assert.equal(eventOf(s.messages.find((x) => x.event === 'passive-ejected')!).data.failures, 3);
    await adminJson(target, 'DELETE', `/v1/services/${encodeURIComponent(sid)}`);
  } finally {
    s.close();
  }
  const bySubject = await openEvents(target, `?subject=${encodeURIComponent('tcp:nothing')}&since=0`);
  await bySubject.waitFor((x) => x.event === '' && x.data === 'heartbeat', 'heartbeat');
  assert.deepEqual(bySubject.messages.filter((x) => x.event !== '').length, 0);
  bySubject.close();
});

test('Last-Event-ID resumes after the given id; bad queries are 400 with the field', async () => {
  const first = runtime.events.published;
  farm.director.editReal(farm.svc.id, `${LOOPBACK}:${echo.port}`, { weight: 7 });
  farm.director.editReal(farm.svc.id, `${LOOPBACK}:${echo.port}`, { weight: 8 });
  const s = await openEvents(target, '', { 'last-event-id': String(first + 1) });
  try {
    const m = await s.waitFor((x) => x.event === 'real-changed', 'replayed event');
    assert.equal(Number(m.id), first + 2);
    assert.deepEqual((eventOf(m).data.changes as Record<string, unknown>).configuredWeight, {
      from: 7,
      to: 8,
    });
  } finally {
    s.close();
  }
  const cases: Array<[string, string]> = [
    ['?type=nope', 'type'],
    ['?since=-1', 'since'],
    ['?color=red', 'color'],
  ];
  for (const [q, field] of cases) {
    const r = await adminCall(target, 'GET', `/v1/events${q}`);
    assert.equal(r.status, 400, q);
    assert.equal((JSON.parse(r.text) as { error: { field: string } }).error.field, field);
  }
});

test('heartbeats flow; clients that go away leave no listener or timer behind', async () => {
  const base = runtime.events.subscribers;
  const baseTimers = liveIntervals;
  const streams = await Promise.all(Array.from({ length: 20 }, () => openEvents(target)));
  await Promise.all(streams.map((s) => s.waitFor((x) => x.data === 'heartbeat', 'heartbeat')));
  assert.equal(runtime.events.subscribers, base + 20);
  assert.equal(liveIntervals, baseTimers + 20);
  for (const s of streams) s.close();
  await until(() => runtime.events.subscribers === base, 'subscribers back to the baseline');
  await until(() => liveIntervals === baseTimers, 'heartbeat timers cancelled');
});
