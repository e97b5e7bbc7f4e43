import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer, request } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildAdminApi } from '../../src/admin/api.ts';
import { snapshotDirector } from '../../src/director/snapshot.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, connectTcp, freePort, within } from '../support/net.ts';
import { type TestServer, echoServer } from '../support/servers.ts';

// The admin API in-process on a temporary Unix socket, over a director with a started proxy engine.
let farm: ProxyFarm;
let echo: TestServer;
let http: Server;
let dir: string;
let socket: string;
let svcPath: string;

before(async () => {
  echo = await echoServer();
  farm = await startProxyFarm({ reals: [realAt(echo.port)] });
  const info = { pid: process.pid, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };
  http = createServer(buildAdminApi(farm.director, info, { engine: farm.engine }));
  dir = await mkdtemp(join(tmpdir(), 'wf-api-'));
  socket = join(dir, 'admin.sock');
  http.listen(socket);
  await once(http, 'listening');
  svcPath = `/v1/services/${encodeURIComponent(farm.svc.id)}`;
});

after(async () => {
  http.close();
  await farm.stop();
  await echo.close();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: { error?: { code: string; message: string; field: string } } & Record<string, unknown>;
}

function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return within(
    new Promise<Reply>((resolve, reject) => {
      const headers = payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) };
      const req = request({ socketPath: socket, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            reject(
              new Error(`${method} ${path}: status ${res.statusCode}, not JSON: ${JSON.stringify(text)}`),
            );
          }
        });
      });
      req.on('error', reject);
      req.end(payload);
    }),
    `${method} ${path}`,
  );
}

/** The director's tables without the moving parts (rates), for "nothing changed" comparisons. */
const table = () => JSON.stringify({ ...snapshotDirector(farm.director) });

test('every rejection class gets a 4xx naming the field, and changes nothing', async () => {
  const busy = createTcpServer().listen(0, LOOPBACK);
  await once(busy, 'listening');
  const busyPort = (busy.address() as { port: number }).port;
  const realPath = `${svcPath}/reals/${encodeURIComponent(`${LOOPBACK}:${echo.port}`)}`;
  const svc = (over: Record<string, unknown> = {}) => ({
    protocol: 'tcp',
    address: LOOPBACK,
    port: 1,
    ...over,
  });
  const cases: Array<[string, string, unknown, number, string, string]> = [
    ['POST', '/v1/services', '{"protocol":', 400, 'body', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['POST', '/v1/services', svc({ bogus: 1 }), 400, 'bogus', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['POST', '/v1/services', svc({ port: 70000 }), 400, 'port', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['POST', '/v1/services', svc({ address: 'example.org' }), 400, 'address', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['POST', '/v1/services', svc({ scheduler: 'fastest' }), 400, 'scheduler', 'WF_ERR_ADMIN_BAD_REQUEST'],
    [
      'POST',
      '/v1/services',
      svc({ persistence: { timeoutMs: 1000, prefix: 24, extra: true } }),
      400,
      'persistence.extra',
      'WF_ERR_ADMIN_BAD_REQUEST',
    ],
    ['POST', '/v1/services', svc({ port: 0 }), 422, 'body', 'WF_ERR_DIRECTOR_INVALID'],
    [
      'POST',
      '/v1/services',
      svc({ scheduler: 'rr', flags: ['sh-port'] }),
      422,
      'flags',
      'WF_ERR_SCHEDULER_FLAG',
    ],
    ['POST', '/v1/services', svc({ port: farm.port }), 409, 'port', 'WF_ERR_DIRECTOR_DUPLICATE_SERVICE'],
    ['POST', '/v1/services', svc({ port: busyPort }), 409, 'port', 'WF_ERR_ENGINE_LISTEN'],
    ['POST', '/v1/services', 'x'.repeat(70_000), 413, 'body', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['PUT', '/v1/services/tcp%3A127.0.0.1%3A1', {}, 404, 'service', 'WF_ERR_DIRECTOR_NO_SERVICE'],
    ['PUT', '/v1/services/not-a-service', {}, 404, 'service', 'WF_ERR_DIRECTOR_NO_SERVICE'],
    ['PUT', svcPath, { onePacket: 'yes' }, 400, 'onePacket', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['DELETE', '/v1/services/udp%3A127.0.0.1%3A9', undefined, 404, 'service', 'WF_ERR_DIRECTOR_NO_SERVICE'],
    ['DELETE', svcPath, { force: true }, 400, 'force', 'WF_ERR_ADMIN_BAD_REQUEST'],
    [
      'POST',
      `${svcPath}/reals`,
      { address: LOOPBACK, port: 1, weight: 70000 },
      400,
      'weight',
      'WF_ERR_ADMIN_BAD_REQUEST',
    ],
    ['POST', `${svcPath}/reals`, { address: LOOPBACK, port: 0 }, 400, 'port', 'WF_ERR_ADMIN_BAD_REQUEST'],
    [
      'POST',
      `${svcPath}/reals`,
      { address: LOOPBACK, port: 1, forward: 'route' },
      422,
      'forward',
      'WF_ERR_ENGINE_UNSUPPORTED',
    ],
    [
      'POST',
      `${svcPath}/reals`,
      { address: LOOPBACK, port: 1, forward: 'tunnel' },
      422,
      'forward',
      'WF_ERR_ENGINE_UNSUPPORTED',
    ],
    [
      'POST',
      `${svcPath}/reals`,
      { address: LOOPBACK, port: 1, upperThreshold: 10, lowerThreshold: 20 },
      422,
      'lowerThreshold',
      'WF_ERR_DIRECTOR_INVALID',
    ],
    [
      'POST',
      `${svcPath}/reals`,
      { address: LOOPBACK, port: echo.port },
      409,
      'address',
      'WF_ERR_DIRECTOR_DUPLICATE_REAL',
    ],
    [
      'POST',
      '/v1/services/tcp%3A127.0.0.1%3A1/reals',
      { address: LOOPBACK, port: 1 },
      404,
      'service',
      'WF_ERR_DIRECTOR_NO_SERVICE',
    ],
    ['PUT', `${svcPath}/reals/127.0.0.1%3A1`, {}, 404, 'real', 'WF_ERR_DIRECTOR_NO_REAL'],
    ['PATCH', realPath, { weight: -1 }, 400, 'weight', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['PATCH', realPath, { health: 'down' }, 400, 'health', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['PATCH', realPath, { forward: 'route' }, 422, 'forward', 'WF_ERR_ENGINE_UNSUPPORTED'],
    ['DELETE', `${svcPath}/reals/127.0.0.1%3A1`, undefined, 404, 'real', 'WF_ERR_DIRECTOR_NO_REAL'],
    ['PUT', '/v1/timeouts', { tcpMs: -1 }, 400, 'tcpMs', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['PUT', '/v1/timeouts', { tcp: 900 }, 400, 'tcp', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['POST', '/v1/zero', { service: 'x' }, 400, 'service', 'WF_ERR_ADMIN_BAD_REQUEST'],
    [
      'POST',
      '/v1/services/tcp%3A127.0.0.1%3A1/zero',
      undefined,
      404,
      'service',
      'WF_ERR_DIRECTOR_NO_SERVICE',
    ],
    ['DELETE', '/v1/status', undefined, 405, 'method', 'WF_ERR_ADMIN_BAD_REQUEST'],
    ['GET', '/v1/nothing', undefined, 404, 'path', 'WF_ERR_ADMIN_BAD_REQUEST'],
  ];
  try {
    for (const [method, path, body, status, field, code] of cases) {
      const before = table();
      const r = await call(method, path, body).catch((e) => {
        throw new Error(`${method} ${path}: ${e.message}`);
      });
      const what = `${method} ${path} ${typeof body === 'string' ? body.slice(0, 20) : JSON.stringify(body)}`;
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error?.field, field, what);
      assert.equal(r.body.error?.code, code, what);
      assert.ok(r.body.error?.message, what);
      assert.equal(table(), before, `${what} changed the table`);
    }
  } finally {
    busy.close();
  }
});

test('services and reals: add binds a listener, edit, zero, timeouts, connections, delete', async () => {
  const port = await freePort();
  const id = `tcp:${LOOPBACK}:${port}`;
  const path = `/v1/services/${encodeURIComponent(id)}`;
  const created = await call('POST', '/v1/services', {
    protocol: 'tcp',
    address: LOOPBACK,
    port,
    scheduler: 'rr',
    persistence: { timeoutMs: 60_000, prefix: 24 },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.id, id);
  assert.deepEqual(created.body.persistence, { timeoutMs: 60_000, prefix: 24 });

  const real = await call('POST', `${path}/reals`, { address: LOOPBACK, port: echo.port, weight: 3 });
  assert.equal(real.status, 201);
  assert.deepEqual([real.body.weight, real.body.forward], [3, 'masq']);

  // The listener is bound by the time POST answered: a client goes through to the echo server.
  const client = await connectTcp(port);
  client.write('ping');
  const [echoed] = (await within(once(client, 'data'), 'echo')) as [Buffer];
  assert.equal(echoed.toString(), 'ping');

  const conns = await call('GET', '/v1/connections');
  const mine = (conns.body as unknown as Array<{ service: string; state: string; template: boolean }>).filter(
    (c) => c.service === id,
  );
  assert.deepEqual(mine.map((c) => [c.template, c.state]).sort(), [
    [false, 'ESTABLISHED'],
    [true, 'NONE'],
  ]);

  const rid = encodeURIComponent(`${LOOPBACK}:${echo.port}`);
  const patched = await call('PATCH', `${path}/reals/${rid}`, { upperThreshold: 100 });
  assert.deepEqual([patched.body.weight, patched.body.upperThreshold], [3, 100]);
  const replaced = await call('PUT', `${path}/reals/${rid}`, { lowerThreshold: 0 });
  assert.deepEqual([replaced.body.weight, replaced.body.upperThreshold], [1, 0], 'PUT resets absent fields');

  const edited = await call('PUT', path, { scheduler: 'wlc' });
  assert.equal(edited.status, 200);
  assert.deepEqual([edited.body.scheduler, edited.body.persistence], ['wlc', undefined]);

  const zero = await call('POST', `${path}/zero`);
  assert.equal(zero.status, 200);
  assert.equal(farm.director.getService(id).stats.conns, 0);

  const t = await call('PUT', '/v1/timeouts', { tcpMs: 600_000, tcpFinMs: 0 });
  assert.deepEqual(t.body, { tcpMs: 600_000, tcpFinMs: 120_000, udpMs: 300_000 });
  await call('PUT', '/v1/timeouts', { tcpMs: 900_000 });

  assert.equal((await call('DELETE', `${path}/reals/${rid}`)).status, 200);
  const gone = await call('DELETE', path);
  assert.deepEqual([gone.status, gone.body.deleted], [200, id]);
  assert.equal(farm.director.services.has(id), false);
  // The live session of the removed service is not cut.
  client.write('pong');
  const [again] = (await within(once(client, 'data'), 'echo after delete')) as [Buffer];
  assert.equal(again.toString(), 'pong');
  client.destroy();
});

test('GET /v1/status keeps working', async () => {
  const r = await call('GET', '/v1/status');
  assert.equal(r.status, 200);
  assert.equal(r.body.engine, 'proxy');
  assert.ok(Array.isArray(r.body.services));
});
