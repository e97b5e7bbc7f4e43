import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectionBoundMs, type CheckSpec } from '../../src/health/check-spec.ts';
import type { HealthPlan } from '../../src/health/health-plan.ts';
import { Director } from '../../src/director/director.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { realAt, serviceAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, until, within } from '../support/net.ts';
import {
  FAST,
  fetchName,
  type HttpReal,
  type HttpRealProcess,
  httpReal,
  httpRealProcess,
  isFallback,
  isTransition,
  SLACK_MS,
  startHealth,
} from './health-support.ts';

// Health checking through real sockets: real HTTP servers, the real proxy engine, the real clock.
const HTTP: CheckSpec = { type: 'http', ...FAST, settings: { request: '/health', receive: 'ok' } };
const BOUND = detectionBoundMs(HTTP) + SLACK_MS;

function plan(
  serviceId: string,
  over: Partial<HealthPlan['services'][number]> = {},
  global: Partial<HealthPlan['global']> = {},
): HealthPlan {
  return {
    global: { startUp: false, alerts: {}, ...global },
    services: [{ serviceId, check: HTTP, downAction: 'quiesce', ...over }],
  };
}

async function names(port: number, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await fetchName(port));
  return out;
}

/** A real server the test can take away and bring back on the same port. */
interface Breakable {
  readonly port: number;
  fail(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function quiescedAndRestored(a: Breakable, b: Breakable): Promise<void> {
  const farm = await startProxyFarm({ reals: [realAt(a.port), realAt(b.port)] });
  const aId = `${LOOPBACK}:${a.port}`;
  const h = await startHealth(farm.director, plan(farm.svc.id));
  try {
    await h.waitFor(isTransition(aId, 'up'), 'a up', BOUND, 0);
    await h.waitFor(isTransition(`${LOOPBACK}:${b.port}`, 'up'), 'b up', BOUND, 0);
    assert.deepEqual(new Set(await names(farm.port, 4)), new Set(['a', 'b']));

    const from = h.events.length;
    await a.fail();
    const down = await h.waitFor(isTransition(aId, 'down'), `a down within ${BOUND} ms`, BOUND, from);
    assert.match(down.reason ?? '', /ECONNREFUSED|refused/i);
    const ra = farm.svc.findReal(aId);
    assert.ok(ra);
    assert.deepEqual(
      [ra.health, ra.weight, ra.available],
      ['down', 0, true],
      'quiesced: weight 0, still available',
    );
    const failuresBefore = ra.connectFailures;
    assert.deepEqual(await names(farm.port, 6), ['b', 'b', 'b', 'b', 'b', 'b']);
    assert.equal(ra.connectFailures, failuresBefore, 'the proxy never tried the quiesced server');

    const fromUp = h.events.length;
    await a.restore();
    await h.waitFor(isTransition(aId, 'up'), 'a restored', BOUND + 2 * FAST.intervalMs, fromUp);
    assert.equal(ra.weight, 1);
    assert.deepEqual(new Set(await names(farm.port, 4)), new Set(['a', 'b']));
  } finally {
    await h.health.stop();
    await farm.stop();
    await Promise.all([a.close(), b.close()]);
  }
}

function inProcess(r: HttpReal): Breakable {
  return { port: r.port, fail: () => r.close(), restore: () => r.restart(), close: () => r.close() };
}

function ownProcess(r: HttpRealProcess): Breakable {
  return { port: r.port, fail: () => r.kill(), restore: () => r.restart(), close: () => r.kill() };
}

test('health: a closed HTTP server is quiesced within fall × interval + timeout, gets no traffic, and is restored', async () => {
  const [a, b] = await Promise.all([httpReal('a'), httpReal('b')]);
  await quiescedAndRestored(inProcess(a), inProcess(b));
});

test('health: an HTTP server whose process is killed (SIGKILL) is quiesced, gets no traffic, and is restored when started again', async () => {
  const [a, b] = await Promise.all([httpRealProcess('a'), httpRealProcess('b')]);
  await quiescedAndRestored(ownProcess(a), ownProcess(b));
});

test('health: all down brings in the fallback (start once), one back removes it (stop once)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-health-fb-'));
  const log = join(dir, 'fb.log');
  const script = join(dir, 'fallback.sh');
  await writeFile(script, `#!/bin/sh\necho "$@" >> ${log}\n`);
  await chmod(script, 0o755);
  const [a, b, sorry] = await Promise.all([httpReal('a'), httpReal('b'), httpReal('sorry')]);
  const farm = await startProxyFarm({ reals: [realAt(a.port), realAt(b.port)] });
  const h = await startHealth(
    farm.director,
    plan(farm.svc.id, { fallback: { address: LOOPBACK, port: sorry.port }, fallbackCommand: [script] }),
  );
  const vip = `${LOOPBACK}:${farm.port}`;
  try {
    await h.waitFor(isTransition(`${LOOPBACK}:${b.port}`, 'up'), 'b up', BOUND, 0);
    await h.waitFor(isTransition(`${LOOPBACK}:${a.port}`, 'up'), 'a up', BOUND, 0);
    await Promise.all([a.close(), b.close()]);
    await h.waitFor(isFallback(true), 'fallback in', BOUND, 0);
    assert.ok(farm.svc.findReal(`${LOOPBACK}:${sorry.port}`)?.fallback);
    assert.deepEqual(await names(farm.port, 3), ['sorry', 'sorry', 'sorry']);
    await within(waitForFile(log, `start ${vip} tcp\n`), 'fallback start command', 5000);

    const from = h.events.length;
    await b.restart();
    await h.waitFor(isFallback(false), 'fallback out', BOUND + 2 * FAST.intervalMs, from);
    assert.equal(farm.svc.findReal(`${LOOPBACK}:${sorry.port}`), undefined);
    assert.deepEqual(await names(farm.port, 3), ['b', 'b', 'b']);
    await within(waitForFile(log, `start ${vip} tcp\nstop ${vip} tcp\n`), 'fallback stop command', 5000);
    assert.equal(h.events.filter(isFallback(true)).length, 1, 'in once');
  } finally {
    await h.health.stop();
    await farm.stop();
    await Promise.all([a.close(), b.close(), sorry.close()]);
    await rm(dir, { recursive: true, force: true });
  }
});

test('health: a server answering 500 or the wrong body is down for http and up for connect', async () => {
  const [bad500, wrongBody] = await Promise.all([httpReal('five'), httpReal('wrong')]);
  bad500.status = 500;
  wrongBody.body = 'nope';
  // Two services on the same reals, one http-checked and one connect-checked (no listeners needed).
  const d = new Director(systemClock);
  const reals = [realAt(bad500.port), realAt(wrongBody.port)];
  const httpSvc = d.addService(serviceAt(1080), reals);
  const connSvc = d.addService(serviceAt(1081), reals);
  const h = await startHealth(d, {
    global: { startUp: false, alerts: {} },
    services: [
      { serviceId: httpSvc.id, check: HTTP, downAction: 'quiesce' },
      { serviceId: connSvc.id, check: { ...HTTP, type: 'connect', settings: {} }, downAction: 'quiesce' },
    ],
  });
  try {
    for (const r of [bad500, wrongBody]) {
      const id = `${LOOPBACK}:${r.port}`;
      await h.waitFor(isTransition(id, 'up', connSvc.id), `${r.name} up for connect`, BOUND, 0);
      await h.waitFor(isTransition(id, 'down', httpSvc.id), `${r.name} down for http`, BOUND, 0);
    }
    await until(() => httpSvc.dests.every((r) => r.lastCheck !== undefined), 'http checks ran');
    const reasons = httpSvc.dests.map((r) => r.lastCheck?.text ?? '').sort();
    assert.equal(reasons.length, 2);
    assert.ok(
      reasons.some((t) => /500/.test(t)),
      reasons.join(' | '),
    );
    assert.ok(
      reasons.some((t) => /receive|match/i.test(t)),
      reasons.join(' | '),
    );
    assert.ok(connSvc.dests.every((r) => r.health === 'up'));
    assert.ok(httpSvc.dests.every((r) => r.health === 'down'));
  } finally {
    await h.health.stop();
    await Promise.all([bad500.close(), wrongBody.close()]);
  }
});

test('health: a maintenance file forces a server down; removing it brings it back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-health-maint-'));
  const a = await httpReal('a');
  const farm = await startProxyFarm({ reals: [realAt(a.port)] });
  const aId = `${LOOPBACK}:${a.port}`;
  const h = await startHealth(farm.director, plan(farm.svc.id, {}, { maintenanceDir: dir }));
  try {
    await h.waitFor(isTransition(aId, 'up'), 'a up', BOUND, 0);
    const fromDown = h.events.length;
    await writeFile(join(dir, aId), '');
    const down = await h.waitFor(isTransition(aId, 'down'), 'maintenance down', BOUND, fromDown);
    assert.equal(down.reason, 'maintenance');
    assert.equal(farm.svc.findReal(aId)?.healthReason, 'maintenance');
    const from = h.events.length;
    await unlink(join(dir, aId));
    await h.waitFor(isTransition(aId, 'up'), 'maintenance over', BOUND, from);
  } finally {
    await h.health.stop();
    await farm.stop();
    await a.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('health: alerts reach a webhook receiver (JSON) and an alert command (env)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-health-alert-'));
  const out = join(dir, 'alert.log');
  const script = join(dir, 'alert.sh');
  await writeFile(
    script,
    `#!/bin/sh\necho "$WEBFARM_ALERT_KIND $WEBFARM_ALERT_REAL $WEBFARM_ALERT_SERVICE" >> ${out}\n`,
  );
  await chmod(script, 0o755);
  const bodies: unknown[] = [];
  const receiver = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => {
      bodies.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(text) });
      res.writeHead(204).end();
    });
  });
  receiver.listen(0, LOOPBACK);
  await new Promise((r) => receiver.once('listening', r));
  const url = `http://${LOOPBACK}:${(receiver.address() as { port: number }).port}/hook`;
  const a = await httpReal('a');
  const farm = await startProxyFarm({ reals: [realAt(a.port)] });
  const aId = `${LOOPBACK}:${a.port}`;
  const h = await startHealth(
    farm.director,
    plan(farm.svc.id, {}, { alerts: { webhook: { url, timeoutMs: 2000 }, command: [script] } }),
  );
  try {
    await h.waitFor(isTransition(aId, 'up'), 'a up', BOUND, 0);
    const fromDown = h.events.length;
    await a.close();
    await h.waitFor(isTransition(aId, 'down'), 'a down', BOUND, fromDown);
    await until(() => bodies.length >= 1, 'webhook POST');
    const got = bodies[0] as { method: string; type: string; body: Record<string, string> };
    assert.equal(got.method, 'POST');
    assert.equal(got.type, 'application/json');
    assert.equal(got.body.kind, 'real-down');
    assert.equal(got.body.real, aId);
    assert.equal(got.body.service, farm.svc.id);
    assert.match(got.body.at ?? '', /^\d{4}-\d\d-\d\dT/);
    await within(waitForFile(out, `real-down ${aId} ${farm.svc.id}\n`), 'alert command', 5000);
  } finally {
    await h.health.stop();
    await farm.stop();
    await a.close();
    receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('health: after a restart a server recorded up in the state file serves at once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-health-state-'));
  const stateFile = join(dir, 'health.json');
  const a = await httpReal('a');
  const aId = `${LOOPBACK}:${a.port}`;
  try {
    const first = await startProxyFarm({ reals: [realAt(a.port)] });
    const h1 = await startHealth(first.director, plan(first.svc.id, {}, { stateFile }));
    await h1.waitFor(isTransition(aId, 'up'), 'a up', BOUND, 0);
    await h1.health.stop();
    await first.stop();
    assert.match(await readFile(stateFile, 'utf8'), /"up"/);

    const second = await startProxyFarm({ reals: [realAt(a.port)] });
    const h2 = await startHealth(second.director, plan(second.svc.id, {}, { stateFile }));
    try {
      assert.equal(second.svc.findReal(aId)?.health, 'up', 'up before any check ran');
      assert.equal(h2.health.checkOf(second.svc.id, aId)?.last, undefined, 'no check has run yet');
      assert.equal(await fetchName(second.port), 'a');
    } finally {
      await h2.health.stop();
      await second.stop();
    }
    const fresh = await startProxyFarm({ reals: [realAt(a.port)] });
    const h3 = await startHealth(fresh.director, plan(fresh.svc.id));
    assert.equal(fresh.svc.findReal(aId)?.health, 'down', 'without the state file: down until checked');
    await h3.health.stop();
    await fresh.stop();
  } finally {
    await a.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/** Resolves once `path` holds exactly `want` (polled; bounded by the caller's `within`). */
async function waitForFile(path: string, want: string): Promise<void> {
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text === want) return;
    if (text.length > want.length)
      throw new Error(`${path} holds ${JSON.stringify(text)}, expected ${JSON.stringify(want)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
