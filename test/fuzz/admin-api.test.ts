import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { type AdminHandler, buildAdminApi } from '../../src/admin/api.ts';
import { AdminRuntime } from '../../src/admin/runtime.ts';
import { Director } from '../../src/director/director.ts';
import { REAL_DEFAULTS } from '../../src/director/real-server.ts';
import { snapshotDirector } from '../../src/director/snapshot.ts';
import { serviceSpec } from '../../src/director/virtual-service.ts';
import { FakeClock } from '../../src/platform/fake-clock.ts';
import { NASTY_VALUES, assertOneLine, checkAsync } from './support.ts';

// Admin API bodies and paths (src/admin/api.ts, schemas.ts, routes/*) over a real HTTP server on a temporary
// Unix socket, on a bare director (no engine): every reply is JSON; a refusal is a 4xx (never 5xx)
// {error: {code, message, field}} with a one-line message, and leaves the director's table as it was.

const SVC = 'tcp:192.0.2.240:80';
const SVC_PATH = `/v1/services/${encodeURIComponent(SVC)}`;
const REAL_PATH = `${SVC_PATH}/reals/${encodeURIComponent('192.0.2.2:80')}`;

let server: Server;
let dir: string;
let socket: string;
/** The handler of the current run: each run starts from a fresh director. */
let current: AdminHandler = (_req, res) => res.end();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-fuzz-api-'));
  socket = join(dir, 'admin.sock');
  server = createServer((req, res) => current(req, res));
  server.listen(socket);
  await once(server, 'listening');
});

after(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

function freshDirector(): { director: Director; runtime: AdminRuntime } {
  const director = new Director(new FakeClock());
  director.addService(serviceSpec('tcp', '192.0.2.240', 80, 'wlc'), [
    { ...REAL_DEFAULTS, address: '192.0.2.2', port: 80 },
    { ...REAL_DEFAULTS, address: '192.0.2.3', port: 80, weight: 3 },
  ]);
  return { director, runtime: new AdminRuntime({ director }) };
}

interface Reply {
  readonly status: number;
  readonly text: string;
}

function call(method: string, path: string, body: string | undefined): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-length': Buffer.byteLength(body) };
    const req = request({ socketPath: socket, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.setTimeout(5000, () => req.destroy(new Error(`${method} ${path}: no reply in 5 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

// --- generators -----------------------------------------------------------------------------------------

const VALID_BODIES: ReadonlyArray<readonly [string, string, Record<string, unknown>]> = [
  ['POST', '/v1/services', { protocol: 'udp', address: '192.0.2.241', port: 53, scheduler: 'rr' }],
  ['PUT', SVC_PATH, { scheduler: 'sh', flags: ['sh-port'], persistence: { timeoutMs: 60000, prefix: 24 } }],
  ['POST', `${SVC_PATH}/reals`, { address: '192.0.2.4', port: 8080, weight: 2, forward: 'masq' }],
  ['PUT', REAL_PATH, { weight: 5, upperThreshold: 100, lowerThreshold: 50 }],
  ['PATCH', REAL_PATH, { weight: 0 }],
  ['POST', `${REAL_PATH}/drain`, { timeout: '30s', remove: false }],
  ['POST', `${REAL_PATH}/enable`, {}],
  ['POST', `${REAL_PATH}/maintenance`, {}],
  ['PUT', '/v1/timeouts', { tcpMs: 900000, tcpFinMs: 120000, udpMs: 300000 }],
  ['POST', `${SVC_PATH}/zero`, {}],
  ['DELETE', REAL_PATH, {}],
  ['DELETE', SVC_PATH, {}],
];

const wrongValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    [],
    {},
    -1,
    0,
    1.5,
    1e308,
    2 ** 53 + 2,
    -(2 ** 31),
    70000,
    '',
    '\u0000',
    '1e3',
  ),
  fc.constantFrom(...NASTY_VALUES),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid body with one field renamed, dropped, replaced by a wrong value, or an extra field added. */
const mutatedBodyArb = fc
  .tuple(fc.constantFrom(...VALID_BODIES), fc.nat(), wrongValueArb, fc.string({ maxLength: 8 }), fc.nat(3))
  .map(([[method, path, body], n, value, name, how]) => {
    const keys = Object.keys(body);
    const key = keys[n % Math.max(1, keys.length)] ?? 'x';
    const b: Record<string, unknown> = { ...body };
    if (how === 0) b[key] = value;
    else if (how === 1) delete b[key];
    else if (how === 2) {
      b[name] = b[key];
      delete b[key];
    } else b[`${name}!`] = value;
    return [method, path, JSON.stringify(b)] as const;
  });

const PATHS = [
  ...new Set(VALID_BODIES.map(([, p]) => p)),
  '/v1/status',
  '/v1/services',
  '/v1/services/tcp%3A192.0.2.240%3A81',
  '/v1/services/udp:[2001:db8::1]:53',
  '/v1/services/%E0%A4%A',
  '/v1/services/tcp:999.1.1.1:80',
  `${SVC_PATH}/reals/${encodeURIComponent('192.0.2.9:80')}`,
  `${SVC_PATH}/reals/not-an-endpoint`,
  `${SVC_PATH}/reals/${encodeURIComponent('192.0.2.2:99999')}/drain`,
  '/v1/drains',
  '/v1/zero',
  '/v1/connections',
  '/v1/reload',
  '/v1/cluster',
  '/v1/cluster/takeover',
  '/v1/nothing',
  '/v1//services',
  '/v1/services/../status',
];

const rawBodyArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.constantFrom(
    '{',
    '{"weight":',
    '[1,2',
    '\u0000',
    '{"a":1}{"b":2}',
    'null',
    '"text"',
    '1e999',
    `{"weight":${'9'.repeat(400)}}`,
  ),
  fc.constant('x'.repeat(70_000)),
);

const requestArb = fc.oneof(
  { weight: 3, arbitrary: mutatedBodyArb },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...VALID_BODIES).map(([m, p, b]) => [m, p, JSON.stringify(b)] as const),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
      fc.constantFrom(...PATHS),
      fc.option(rawBodyArb, { nil: undefined }),
    ),
  },
);

/** The director's table, for "nothing changed" (the fake clock keeps rates still). */
const table = (d: Director) => JSON.stringify(snapshotDirector(d));

test('fuzz admin API: refusals are 4xx JSON errors with a one-line message and change nothing', async () => {
  await checkAsync(
    fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 3 }), async (requests) => {
      const { director, runtime } = freshDirector();
      const info = { pid: 1, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };
      current = buildAdminApi(director, info, { runtime });
      try {
        for (const [method, path, body] of requests) {
          const before = table(director);
          const r = await call(method, path, body);
          const what = `${method} ${path} ${body?.slice(0, 200) ?? ''} → ${r.status} ${r.text.slice(0, 300)}`;
          assert.ok(r.status >= 200 && r.status < 500, `server error: ${what}`);
          if (method === 'HEAD') continue;
          const reply = JSON.parse(r.text) as {
            error?: { code?: unknown; message?: unknown; field?: unknown };
          };
          if (r.status < 400) continue;
          assert.ok(reply.error, `no error object: ${what}`);
          assert.equal(typeof reply.error.code, 'string', what);
          assert.ok(typeof reply.error.message === 'string', what);
          assertOneLine(reply.error.message, what);
          assert.ok(reply.error.field === undefined || typeof reply.error.field === 'string', what);
          assert.equal(table(director), before, `a refused request changed the table: ${what}`);
        }
      } finally {
        runtime.stop();
      }
    }),
  );
});

test('fuzz admin API: regressions found by the fuzzer stay fixed', async () => {
  const { director, runtime } = freshDirector();
  current = buildAdminApi(
    director,
    { pid: 1, startedAt: '', engine: 'proxy', config: undefined },
    { runtime },
  );
  try {
    // V8's JSON.parse message quoted the body's NUL raw into the error message.
    const r = await call('POST', '/v1/services', '\u0000');
    assert.equal(r.status, 400);
    const message = (JSON.parse(r.text) as { error: { message: string } }).error.message;
    assertOneLine(message, 'NUL body');
    assert.match(message, /\\u0000/);
  } finally {
    runtime.stop();
  }
});
