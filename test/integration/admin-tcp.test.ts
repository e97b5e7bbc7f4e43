import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildAdminApi } from '../../src/admin/api.ts';
import { AdminRuntime } from '../../src/admin/runtime.ts';
import { type AdminTcpServer, listenAdminTcp } from '../../src/admin/tcp-server.ts';
import { snapshotDirector } from '../../src/director/snapshot.ts';
import { type AdminTarget, adminCall, openEvents } from '../support/admin-http.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, freePort } from '../support/net.ts';
import { type TestServer, echoServer } from '../support/servers.ts';

// The TCP admin listener: bearer token from a 0600 file, 401 without it (nothing changed), dashboard public.
const TOKEN = 'tcp-listener-token-0123456789';
const BIN = new URL('../../bin/webfarm.js', import.meta.url).pathname;
let farm: ProxyFarm;
let echo: TestServer;
let runtime: AdminRuntime;
let tcp: AdminTcpServer;
let dir: string;
let tokenFile: string;
let good: AdminTarget;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-tcp-'));
  tokenFile = join(dir, 'token');
  await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  echo = await echoServer();
  farm = await startProxyFarm({ reals: [realAt(echo.port)] });
  runtime = new AdminRuntime({ director: farm.director });
  const info = { pid: process.pid, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };
  const api = buildAdminApi(farm.director, info, { engine: farm.engine, runtime });
  tcp = await listenAdminTcp(api, { listen: `${LOOPBACK}:0`, tokenFile });
  good = { port: tcp.port, token: TOKEN };
});

after(async () => {
  await tcp.close();
  runtime.stop();
  await farm.stop();
  await echo.close();
  await rm(dir, { recursive: true, force: true });
});

test('without or with a wrong token every API resource is 401 JSON and nothing changes', async () => {
  const before = JSON.stringify(snapshotDirector(farm.director).services.map((s) => s.id));
  const port = await freePort();
  const tokens: Array<string | undefined> = [undefined, 'wrong', `${TOKEN}x`, TOKEN.slice(1), ''];
  const requests: Array<[string, string, unknown]> = [
    ['GET', '/v1/status', undefined],
    ['GET', '/metrics', undefined],
    ['GET', '/v1/events', undefined],
    ['POST', '/v1/services', { protocol: 'tcp', address: LOOPBACK, port }],
    ['DELETE', '/v1/services', undefined],
  ];
  for (const token of tokens) {
    for (const [method, path, body] of requests) {
      const target: AdminTarget = token === undefined ? { port: tcp.port } : { port: tcp.port, token };
      const r = await adminCall(target, method, path, body);
      assert.equal(r.status, 401, `${method} ${path} token=${token}`);
      assert.equal(r.headers['www-authenticate'], 'Bearer realm="webfarm"');
      const err = (JSON.parse(r.text) as { error: { code: string; field: string } }).error;
      assert.deepEqual([err.code, err.field], ['WF_ERR_ADMIN_UNAUTHORIZED', 'authorization']);
    }
  }
  assert.equal(JSON.stringify(snapshotDirector(farm.director).services.map((s) => s.id)), before);
});

test('with the token: the same API, metrics and event stream as the Unix socket', async () => {
  const status = await adminCall(good, 'GET', '/v1/status');
  assert.equal(status.status, 200);
  assert.equal((JSON.parse(status.text) as { services: unknown[] }).services.length, 1);
  const metrics = await adminCall(good, 'GET', '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.text, /^webfarm_real_weight\{/m);
  const events = await openEvents(good);
  assert.equal(events.status, 200);
  farm.director.editReal(farm.svc.id, `${LOOPBACK}:${echo.port}`, { weight: 3 });
  await events.waitFor((m) => m.event === 'real-changed', 'real-changed over TCP');
  events.close();
});

test('the dashboard files need no token and carry a strict CSP; other paths under /web do not exist', async () => {
  for (const path of ['/', '/dashboard', '/web/app.js', '/web/style.css']) {
    const r = await adminCall({ port: tcp.port }, 'GET', path);
    assert.equal(r.status, 200, path);
    assert.match(String(r.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  }
  const r = await adminCall({ port: tcp.port }, 'GET', '/web/../admin/token.ts');
  assert.equal(r.status, 401);
  assert.equal((await adminCall(good, 'GET', '/web/nothing.js')).status, 404);
});

function webfarm(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (err, _out, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
    });
  });
}

test('webfarm run refuses to open the TCP listener without a private token file', async () => {
  const open = join(dir, 'open-token');
  await writeFile(open, TOKEN);
  await chmod(open, 0o644);
  const sock = join(dir, 'run.sock');
  const cases: Array<[string[], number, RegExp]> = [
    [['--admin-listen', `${LOOPBACK}:0`], 2, /--admin-listen and --admin-token-file go together/],
    [
      ['--admin-listen', `${LOOPBACK}:0`, '--admin-token-file', open],
      1,
      /admin token file .*open-token: mode 0644 lets group or others read it/,
    ],
    [
      ['--admin-listen', `${LOOPBACK}:0`, '--admin-token-file', join(dir, 'none')],
      1,
      /admin token file .*ENOENT/,
    ],
    [
      ['--admin-listen', 'localhost', '--admin-token-file', tokenFile],
      1,
      /admin listen address: "localhost" is not ADDRESS:PORT/,
    ],
  ];
  for (const [args, code, message] of cases) {
    const r = await webfarm(['run', '--port', String(await freePort()), '-s', sock, ...args]);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, message);
  }
});
