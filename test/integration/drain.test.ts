import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildAdminApi } from '../../src/admin/api.ts';
import { AdminRuntime } from '../../src/admin/runtime.ts';
import { main } from '../../src/cli/main.ts';
import { silentLogger } from '../../src/platform/log.ts';
import { type AdminTarget, adminJson, eventOf, openEvents } from '../support/admin-http.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, connectTcp, until, within } from '../support/net.ts';
import { type TestServer, holdServer } from '../support/servers.ts';

// The drain workflow against live held connections: API, events, GET state, CLI (--wait --remove), enable.
let farm: ProxyFarm;
let a: TestServer;
let b: TestServer;
let runtime: AdminRuntime;
let http: Server;
let dir: string;
let socketPath: string;
let target: AdminTarget;

before(async () => {
  a = await holdServer('a');
  b = await holdServer('b');
  farm = await startProxyFarm({ reals: [realAt(a.port), realAt(b.port)] });
  runtime = new AdminRuntime({ director: farm.director, drainPollMs: 10 });
  const info = { pid: process.pid, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };
  http = createServer(buildAdminApi(farm.director, info, { engine: farm.engine, runtime }));
  dir = await mkdtemp(join(tmpdir(), 'wf-drain-'));
  socketPath = join(dir, 'admin.sock');
  http.listen(socketPath);
  await once(http, 'listening');
  target = { socketPath };
});

after(async () => {
  http.close();
  runtime.stop();
  await farm.stop();
  await Promise.all([a.close(), b.close()]);
  await rm(dir, { recursive: true, force: true });
});

const rid = (s: TestServer) => `${LOOPBACK}:${s.port}`;
const path = (s: TestServer) =>
  `/v1/services/${encodeURIComponent(farm.svc.id)}/reals/${encodeURIComponent(rid(s))}`;

/** Open connections through the farm until `n` of them landed on the server named `name` (its greeting). */
async function holdOn(name: string, n: number): Promise<Socket[]> {
  const mine: Socket[] = [];
  const others: Socket[] = [];
  while (mine.length < n) {
    const s = await connectTcp(farm.port);
    const [greeting] = (await within(once(s, 'data'), 'greeting')) as [Buffer];
    (greeting.toString() === name ? mine : others).push(s);
  }
  for (const s of others) s.destroy();
  return mine;
}

interface RealBody {
  admin: string;
  weight: number;
  activeConns: number;
  drain: null | {
    state: string;
    remainingConns: number;
    removed: boolean;
    remove: boolean;
    timeoutMs: number | null;
  };
}

test('drain with remove: weight 0 at once, progress as connections end, drained, then removed (cause drain)', async () => {
  const held = await holdOn('a', 2);
  const events = await openEvents(target, `?subject=${encodeURIComponent(`${farm.svc.id}/${rid(a)}`)}`);
  try {
    const r = await adminJson<RealBody>(target, 'POST', `${path(a)}/drain`, { timeout: '30s', remove: true });
    assert.equal(r.status, 202);
    assert.equal(r.body.admin, 'drain');
    assert.equal(r.body.weight, 0);
    assert.deepEqual(
      {
        state: r.body.drain?.state,
        remaining: r.body.drain?.remainingConns,
        timeoutMs: r.body.drain?.timeoutMs,
      },
      { state: 'draining', remaining: 2, timeoutMs: 30000 },
    );
    // New connections go to b only.
    const fresh = await connectTcp(farm.port);
    assert.equal(((await within(once(fresh, 'data'), 'greeting')) as [Buffer])[0].toString(), 'b');
    fresh.destroy();

    held[0]!.destroy();
    await events.waitFor(
      (m) => m.event === 'drain-progress' && eventOf(m).data.remainingConns === 1,
      'progress 1',
    );
    const mid = await adminJson<RealBody>(target, 'GET', path(a));
    assert.equal(mid.body.drain?.state, 'draining');
    held[1]!.destroy();
    const done = eventOf(await events.waitFor((m) => m.event === 'drain-finished', 'drain-finished'));
    assert.equal(done.data.state, 'drained');
    const removed = eventOf(await events.waitFor((m) => m.event === 'real-removed', 'real-removed'));
    assert.deepEqual(removed.cause, { source: 'drain' });
    assert.equal((await adminJson(target, 'GET', path(a))).status, 404);
    const list = await adminJson<Array<{ real: string; state: string; removed: boolean }>>(
      target,
      'GET',
      '/v1/drains',
    );
    assert.deepEqual(
      list.body.filter((d) => d.real === rid(a)).map((d) => [d.state, d.removed]),
      [['drained', true]],
    );
    const started = eventOf(events.messages.find((m) => m.event === 'drain-started')!);
    assert.equal(started.cause.source, 'api');
  } finally {
    events.close();
    farm.director.addReal(farm.svc.id, realAt(a.port));
  }
});

test('drain timeout without remove: timed-out, the server stays drained until enable', async () => {
  const held = await holdOn('b', 1);
  try {
    const r = await adminJson<RealBody>(target, 'POST', `${path(b)}/drain`, { timeout: '50ms' });
    assert.equal(r.status, 202);
    await until(() => runtime.drains.status(farm.svc.id, rid(b))?.state === 'timed-out', 'timed-out');
    const got = await adminJson<RealBody>(target, 'GET', path(b));
    assert.deepEqual(
      [got.body.admin, got.body.weight, got.body.drain?.state, got.body.drain?.remainingConns],
      ['drain', 0, 'timed-out', 1],
    );
    const en = await adminJson<RealBody>(target, 'POST', `${path(b)}/enable`);
    assert.deepEqual([en.status, en.body.admin, en.body.weight, en.body.drain], [200, 'enabled', 1, null]);
  } finally {
    for (const s of held) s.destroy();
  }
});

test('enable cancels a drain in progress; maintenance; bad requests change nothing', async () => {
  const held = await holdOn('b', 1);
  const events = await openEvents(target, '?type=drain-cancelled');
  try {
    await adminJson(target, 'POST', `${path(b)}/drain`, {});
    const en = await adminJson<RealBody>(target, 'POST', `${path(b)}/enable`);
    assert.equal(en.body.admin, 'enabled');
    const c = eventOf(await events.waitFor((m) => m.event === 'drain-cancelled', 'drain-cancelled'));
    assert.equal(c.data.reason, 'enabled');
    const m = await adminJson<RealBody>(target, 'POST', `${path(b)}/maintenance`);
    assert.equal(m.body.admin, 'maintenance');
    await adminJson(target, 'POST', `${path(b)}/enable`);
  } finally {
    events.close();
    for (const s of held) s.destroy();
  }
  const cases: Array<[string, unknown, number, string]> = [
    [`${path(b)}/drain`, { timeout: 'soon' }, 400, 'timeout'],
    [`${path(b)}/drain`, { remove: 'yes' }, 400, 'remove'],
    [`${path(b)}/drain`, { wait: true }, 400, 'wait'],
    [
      `/v1/services/${encodeURIComponent(farm.svc.id)}/reals/${encodeURIComponent(`${LOOPBACK}:1`)}/drain`,
      {},
      404,
      'real',
    ],
    [
      `/v1/services/${encodeURIComponent('tcp:127.0.0.1:1')}/reals/${encodeURIComponent(rid(b))}/drain`,
      {},
      404,
      'service',
    ],
    [`${path(b)}/enable`, { x: 1 }, 400, 'x'],
  ];
  for (const [p, body, status, field] of cases) {
    const r = await adminJson<{ error: { field: string } }>(target, 'POST', p, body);
    assert.deepEqual([r.status, r.body.error.field], [status, field], `${p} ${JSON.stringify(body)}`);
  }
  const real = await adminJson<RealBody>(target, 'GET', path(b));
  assert.deepEqual([real.body.admin, real.body.drain], ['enabled', null]);
});

function cli(args: string[]): { done: Promise<number>; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io = {
    stdout: (s: string) => {
      out += s;
    },
    stderr: (s: string) => {
      err += s;
    },
  };
  return { done: main(args, io, silentLogger), out: () => out, err: () => err };
}

test('CLI: webfarm drain --wait --remove returns when drained; webfarm enable; usage errors', async () => {
  const [held] = await holdOn('a', 1);
  const events = await openEvents(target, '?type=drain-started');
  const run = cli([
    'drain',
    farm.svc.id.slice('tcp:'.length),
    rid(a),
    '--wait',
    '--remove',
    '-s',
    socketPath,
  ]);
  await events.waitFor((m) => m.event === 'drain-started', 'drain-started from the CLI');
  events.close();
  held!.destroy();
  assert.equal(await within(run.done, 'webfarm drain --wait'), 0, run.err());
  assert.match(
    run.out(),
    new RegExp(`${rid(a).replace(/\./g, '\\.')} in ${farm.svc.id} drained; removed\\n$`),
  );
  assert.equal(farm.svc.findReal(rid(a)), undefined);
  farm.director.addReal(farm.svc.id, realAt(a.port));

  const quick = cli(['drain', farm.svc.id, rid(a), '-s', socketPath, '--json']);
  assert.equal(await quick.done, 0, quick.err());
  assert.equal((JSON.parse(quick.out()) as { state: string }).state, 'drained');
  const en = cli(['enable', farm.svc.id, rid(a), '-s', socketPath]);
  assert.equal(await en.done, 0, en.err());
  assert.match(en.out(), /enabled \(weight 1\)/);
  assert.equal(farm.svc.findReal(rid(a))?.admin, 'enabled');

  const bad = cli(['drain', farm.svc.id, '-s', socketPath]);
  assert.equal(await bad.done, 2);
  assert.match(bad.err(), /webfarm drain: expected SERVICE and REAL/);
  const missing = cli(['enable', 'no-such-name', rid(a), '-s', socketPath]);
  assert.equal(await missing.done, 1);
  assert.match(missing.err(), /no virtual service no-such-name/);
});
