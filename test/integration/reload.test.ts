import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type RunningFarm, startFarm } from '../../src/bin/farm.ts';
import { loadFarmPlan } from '../../src/cli/load-plan.ts';
import type { Logger } from '../../src/platform/log.ts';
import { adminJson } from '../support/admin-http.ts';
import { LOOPBACK, freePort, until, within } from '../support/net.ts';

// Reload without drops (issue #6 item 3): a farm under sustained wrk load (keep-alive and
// connection-per-request) goes through 20 reloads that change weights, add and remove a real server and
// add and remove a second service; wrk must see no socket error and no non-2xx answer. A bad config or a
// port in use is rejected whole with the running state unchanged; unchanged reals keep counters and health.

const WRK = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
const wrkMissing = WRK.error ? `wrk is not installed (${WRK.error.message}); apt-get install wrk` : undefined;

interface Backend {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
  requests: number;
  /** Requests that carried `Connection: close` (the per-request wrk's). */
  closeRequests: number;
}

async function backend(name: string): Promise<Backend> {
  const server = createServer();
  const b: Backend = { name, port: 0, server, requests: 0, closeRequests: 0 };
  server.on('request', (req, res) => {
    b.requests++;
    if (req.headers.connection === 'close') b.closeRequests++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`hello from ${name}\n`);
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  return Object.assign(b, { port: (server.address() as AddressInfo).port });
}

let dir: string;
let cfg: string;
let socket: string;
let backends: Backend[];
let vport: number;
let vport2: number;
let farm: RunningFarm;
const logLines: string[] = [];
const log: Logger = {
  info: (e, f) => logLines.push(`info ${e} ${JSON.stringify(f ?? {})}`),
  warn: (e, f) => logLines.push(`warn ${e} ${JSON.stringify(f ?? {})}`),
  error: (e, f) => logLines.push(`error ${e} ${JSON.stringify(f ?? {})}`),
};

interface Shape {
  readonly weightA: number;
  readonly withC: boolean;
  readonly second: boolean;
  /** Extra text appended to the first service (to break the config). */
  readonly extra?: string;
  readonly extraService?: string;
}

function configText(s: Shape): string {
  const [a, b, c] = backends as [Backend, Backend, Backend];
  const reals = [
    `      - { address: 127.0.0.1, port: ${a.port}, weight: ${s.weightA} }`,
    `      - { address: 127.0.0.1, port: ${b.port}, weight: 2 }`,
    ...(s.withC ? [`      - { address: 127.0.0.1, port: ${c.port} }`] : []),
  ];
  return [
    'services:',
    '  - name: web',
    '    address: 127.0.0.1',
    `    port: ${vport}`,
    '    scheduler: wrr',
    '    check: { type: connect, interval: 200ms, rise: 1, fall: 3 }',
    '    real_servers:',
    ...reals,
    ...(s.extra ? [s.extra] : []),
    ...(s.second
      ? [
          '  - name: second',
          '    address: 127.0.0.1',
          `    port: ${vport2}`,
          `    real_servers: ["127.0.0.1:${b.port}"]`,
        ]
      : []),
    ...(s.extraService ? [s.extraService] : []),
    '',
  ].join('\n');
}

const sid = () => `tcp:127.0.0.1:${vport}`;
const rid = (b: Backend) => `127.0.0.1:${b.port}`;

async function reload(shape: Shape) {
  await writeFile(cfg, configText(shape));
  return adminJson<Record<string, unknown>>({ socketPath: socket }, 'POST', '/v1/reload');
}

/** The running table as GET /v1/status shows it, without the numbers traffic and time move. */
async function tableShape(): Promise<unknown> {
  const r = await adminJson<{
    services: Array<Record<string, unknown> & { reals: Array<Record<string, unknown>> }>;
  }>({ socketPath: socket }, 'GET', '/v1/status');
  assert.equal(r.status, 200);
  return r.body.services.map((s) => ({
    id: s.id,
    scheduler: s.scheduler,
    reals: s.reals.map((x) => [x.id, x.configuredWeight, x.admin, x.health]).sort(),
  }));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-reload-'));
  cfg = join(dir, 'farm.yaml');
  socket = join(dir, 'admin.sock');
  backends = await Promise.all(['a', 'b', 'c'].map(backend));
  vport = await freePort();
  vport2 = await freePort();
  await writeFile(cfg, configText({ weightA: 1, withC: false, second: false }));
  const loaded = await loadFarmPlan(cfg);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('\n'));
  farm = await startFarm({ plan: loaded.plan, configPath: cfg, socket, log });
  await until(
    () => farm.director.services.get(sid())?.dests.every((r) => r.health === 'up') === true,
    'both reals checked up',
  );
});

after(async () => {
  await farm?.stop();
  await Promise.all(backends.map((b) => new Promise((r) => b.server.close(r))));
  for (const b of backends) b.server.closeAllConnections();
  await rm(dir, { recursive: true, force: true });
});

interface WrkRun {
  readonly child: ChildProcess;
  readonly output: Promise<string>;
}

function startWrk(extra: string[]): WrkRun {
  const args = ['-t1', '-c4', '-d120s', ...extra, `http://127.0.0.1:${vport}/`];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const output = once(child, 'exit').then(() => out);
  return { child, output };
}

/** wrk's summary → totals; "Socket errors" and "Non-2xx" lines appear only when non-zero. */
function parseWrk(text: string): { requests: number; socketErrors: number; non2xx: number } {
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? Number.NaN);
  const se = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = se ? se.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return { requests, socketErrors, non2xx };
}

/** Connection: close requests served by any backend so far. */
function closeRequests(): number {
  return backends.reduce((n, b) => n + b.closeRequests, 0);
}

test('reload under sustained load (keep-alive and Connection: close): 20 reloads, no request lost', {
  skip: wrkMissing,
}, async () => {
  const svc = farm.director.getService(sid());
  const realA = svc.findReal(rid(backends[0]!));
  const realB = svc.findReal(rid(backends[1]!));
  assert.ok(realA && realB);
  const transitions: string[] = [];
  const unsubscribe = farm.health?.on((e) => {
    if (e.type === 'transition' && e.realId !== rid(backends[2]!))
      transitions.push(`${e.realId} ${e.from}->${e.to}`);
  });
  const keepAlive = startWrk([]);
  const perRequest = startWrk(['-H', 'Connection: close']);
  try {
    // Both wrk runs must be under way before the first reload (a loaded machine starts them late).
    await until(
      () => backends[0]!.requests > 50 && backends[1]!.requests > 50 && closeRequests() > 20,
      'both wrk runs (keep-alive and Connection: close) through the proxy',
      10_000,
    );
    const conns0 = realB.stats.conns;
    for (let i = 0; i < 20; i++) {
      const shape = { weightA: (i % 3) + 1, withC: i % 2 === 0, second: i % 4 < 2 };
      const r = await reload(shape);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.reloaded, true);
      // Unchanged and edited reals are the same objects, still checked up, the check not restarted.
      assert.equal(svc.findReal(rid(backends[1]!)), realB, `reload ${i}: B is the same real server`);
      assert.equal(svc.findReal(rid(backends[0]!)), realA, `reload ${i}: A is the same real server`);
      assert.equal(realA.configuredWeight, shape.weightA);
      assert.equal(farm.health?.checkOf(sid(), rid(backends[1]!))?.state.kind, 'up');
      assert.equal(farm.director.services.has(`tcp:127.0.0.1:${vport2}`), shape.second);
      assert.equal(svc.findReal(rid(backends[2]!)) !== undefined, shape.withC);
    }
    assert.equal(farm.director.getService(sid()), svc, 'the service itself was never replaced');
    assert.ok(realB.stats.conns >= conns0, 'B kept its counters');
    assert.equal(realB.health, 'up');
    assert.deepEqual(transitions, [], 'no health transition of a kept real server');
    // Load keeps flowing after the last reload, then stop wrk (SIGINT: it prints its summary).
    const mark = backends[1]!.requests;
    const closeMark = closeRequests();
    await until(
      () => backends[1]!.requests > mark + 50 && closeRequests() > closeMark + 20,
      'both kinds of traffic after the last reload',
      10_000,
    );
  } finally {
    unsubscribe?.();
    keepAlive.child.kill('SIGINT');
    perRequest.child.kill('SIGINT');
  }
  for (const [what, run] of [
    ['keep-alive', keepAlive],
    ['Connection: close', perRequest],
  ] as const) {
    const text = await within(run.output, `wrk (${what}) summary`, 10_000);
    const w = parseWrk(text);
    assert.ok(w.requests >= 20, `${what}: wrk made requests\n${text}`);
    assert.equal(w.socketErrors, 0, `${what}: socket errors\n${text}`);
    assert.equal(w.non2xx, 0, `${what}: non-2xx responses\n${text}`);
  }
  assert.deepEqual(
    logLines.filter((l) => l.startsWith('error')),
    [],
  );
  assert.equal(logLines.filter((l) => l.startsWith('info reload ')).length, 20, 'one log line per reload');
});

test('reload: a config with errors is rejected whole, every error as FILE:LINE:COL, state unchanged', async () => {
  await reload({ weightA: 1, withC: false, second: false });
  const before = await tableShape();
  const r = await reload({
    weightA: 7, // valid on its own; must not be applied
    withC: true,
    second: true,
    extra: '    scheduler_flags: [no-such-flag]',
    extraService: '  - address: 127.0.0.1\n    port: 70000\n',
  });
  assert.equal(r.status, 422);
  const error = r.body.error as { code: string; errors: string[] };
  assert.equal(error.code, 'WF_ERR_RELOAD_CONFIG');
  assert.ok(error.errors.length >= 2, JSON.stringify(error));
  for (const line of error.errors)
    assert.match(line, new RegExp(`^${cfg.replace(/\./g, '\\.')}:\\d+:\\d+: `));
  assert.deepEqual(await tableShape(), before);
  assert.ok(logLines.some((l) => l.startsWith('warn reload-rejected')));
});

test('reload: a new service on a port in use is rejected, nothing of that reload applied', async () => {
  await reload({ weightA: 1, withC: false, second: false });
  const before = await tableShape();
  const busy = createTcpServer().listen(vport2, LOOPBACK);
  await once(busy, 'listening');
  try {
    const r = await reload({ weightA: 3, withC: true, second: true });
    assert.equal(r.status, 409);
    const error = r.body.error as { code: string; errors: string[] };
    assert.equal(error.code, 'WF_ERR_RELOAD_BIND');
    assert.match(error.errors.join('\n'), new RegExp(`127\\.0\\.0\\.1:${vport2}.*EADDRINUSE`));
    assert.deepEqual(await tableShape(), before);
  } finally {
    await new Promise((r) => busy.close(r));
  }
  const ok = await reload({ weightA: 3, withC: true, second: true });
  assert.equal(ok.status, 200);
  assert.deepEqual((ok.body.changed as { services: unknown }).services, { added: 1, removed: 0, changed: 0 });
});
