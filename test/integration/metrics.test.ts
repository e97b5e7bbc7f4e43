import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildAdminApi } from '../../src/admin/api.ts';
import { parseExposition } from '../../src/admin/metrics/exposition-parse.ts';
import { AdminRuntime } from '../../src/admin/runtime.ts';
import { type AdminTarget, adminCall } from '../support/admin-http.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, freePort, request, until } from '../support/net.ts';
import { type TestServer, echoServer } from '../support/servers.ts';

// GET /metrics over the admin socket against a proxy farm that carried real traffic.
let farm: ProxyFarm;
let echo: TestServer;
let runtime: AdminRuntime;
let http: Server;
let dir: string;
let target: AdminTarget;
let deadPort: number;

before(async () => {
  echo = await echoServer();
  deadPort = await freePort();
  farm = await startProxyFarm({
    reals: [realAt(echo.port)],
    engine: { onEvent: (e) => runtime.onEngineEvent(e) },
  });
  runtime = new AdminRuntime({ director: farm.director });
  runtime.engine = farm.engine;
  const info = { pid: process.pid, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };
  http = createServer(buildAdminApi(farm.director, info, { engine: farm.engine, runtime }));
  dir = await mkdtemp(join(tmpdir(), 'wf-metrics-'));
  const socketPath = join(dir, 'admin.sock');
  http.listen(socketPath);
  await once(http, 'listening');
  target = { socketPath };
});

after(async () => {
  http.close();
  runtime.stop();
  await farm.stop();
  await echo.close();
  await rm(dir, { recursive: true, force: true });
});

async function scrape() {
  const r = await adminCall(target, 'GET', '/metrics');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const fams = parseExposition(r.text);
  return (name: string, labels: Record<string, string> = {}) => {
    const s = fams
      .get(name)
      ?.samples.find((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v));
    assert.ok(s, `${name} ${JSON.stringify(labels)} in\n${r.text}`);
    return s.value;
  };
}

test('traffic through the farm shows in the counters; process metrics are sane', async () => {
  const svc = farm.svc.id;
  const real = { service: svc, real: `${LOOPBACK}:${echo.port}` };
  const payload = 'hello metrics\n';
  for (let i = 0; i < 3; i++) {
    const r = await request(farm.port, payload);
    assert.equal(r.data.toString(), payload);
  }
  const live = farm.svc.dests[0]!;
  await until(() => live.activeConns + live.inactConns === 0, 'sessions closed');
  const m = await scrape();
  assert.equal(m('webfarm_real_connections_total', real), 3);
  assert.equal(m('webfarm_service_connections_total', { service: svc }), 3);
  assert.equal(m('webfarm_real_bytes_total', { ...real, direction: 'in' }), 3 * payload.length);
  assert.equal(m('webfarm_real_bytes_total', { ...real, direction: 'out' }), 3 * payload.length);
  assert.equal(m('webfarm_real_active_connections', real), 0);
  assert.equal(m('webfarm_real_weight', real), 1);
  assert.equal(m('webfarm_real_health', { ...real, state: 'unknown' }), 1);
  assert.equal(m('webfarm_service_refused_connections_total', { service: svc }), 0);
  assert.ok(m('webfarm_process_resident_memory_bytes') > 1e6);
  assert.ok(m('webfarm_process_open_fds') > 3);
  assert.ok(m('webfarm_process_cpu_seconds_total') > 0);
  const start = m('webfarm_process_start_time_seconds');
  assert.ok(Math.abs(start - (Date.now() / 1000 - process.uptime())) < 5, `start time ${start}`);
  assert.ok(m('webfarm_process_event_loop_lag_seconds') >= 0);
});

test('a refused connect counts as a connect failure and, with no usable server left, a refusal', async () => {
  const sid = farm.svc.id;
  farm.director.addReal(sid, realAt(deadPort, { weight: 1000 }));
  const dead = { service: sid, real: `${LOOPBACK}:${deadPort}` };
  const before = (await scrape())('webfarm_real_connect_failures_total', dead);
  await request(farm.port, 'x');
  const m = await scrape();
  assert.equal(m('webfarm_real_connect_failures_total', dead), before + 1);
  farm.director.removeReal(sid, dead.real);
});
