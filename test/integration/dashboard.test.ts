import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { buildAdminApi } from '../../src/admin/api.ts';
import { AdminRuntime } from '../../src/admin/runtime.ts';
import { type AdminTcpServer, listenAdminTcp } from '../../src/admin/tcp-server.ts';
import { HealthSubsystem } from '../../src/health/health-subsystem.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { silentLogger } from '../../src/platform/log.ts';
import { systemRng } from '../../src/platform/random.ts';
import { adminJson } from '../support/admin-http.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, request } from '../support/net.ts';
import { type TestServer, echoServer } from '../support/servers.ts';

// The live dashboard in headless Debian Chromium (playwright-core drives it; never a browser download):
// it loads with the token from the URL fragment, shows numbers that move under load, and its Drain button
// changes the server's state through the API. Takes a screenshot: into docs/dashboard.png only when
// WEBFARM_UPDATE_SCREENSHOT=1 (so test runs never modify tracked files), else into the temp dir.
const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`;
const TOKEN = 'dashboard-test-token-0123456789';
const SCREENSHOT = process.env.WEBFARM_UPDATE_SCREENSHOT
  ? new URL('../../docs/dashboard.png', import.meta.url).pathname
  : join(tmpdir(), `wf-dashboard-${process.pid}.png`);

let reals: TestServer[] = [];
let farm: ProxyFarm;
let runtime: AdminRuntime;
let health: HealthSubsystem;
let tcp: AdminTcpServer;
let dir: string;
let browser: Browser | undefined;
let loading = false;
let load: Promise<void> = Promise.resolve();

before(async () => {
  if (skip) return;
  reals = await Promise.all([echoServer(), echoServer(), echoServer()]);
  farm = await startProxyFarm({ reals: reals.map((r) => realAt(r.port)), service: { name: 'web' } });
  farm.director.start();
  runtime = new AdminRuntime({ director: farm.director, heartbeatMs: 1000 });
  runtime.engine = farm.engine;
  health = new HealthSubsystem(
    {
      global: { startUp: false, alerts: {} },
      services: [
        {
          serviceId: farm.svc.id,
          check: { type: 'connect', intervalMs: 300, timeoutMs: 250, fall: 1, rise: 1, settings: {} },
          downAction: 'quiesce',
        },
      ],
    },
    { director: farm.director, clock: systemClock, rng: systemRng, log: silentLogger },
  );
  runtime.watchHealth(health);
  await health.start();
  dir = await mkdtemp(join(tmpdir(), 'wf-dash-'));
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, TOKEN, { mode: 0o600 });
  const info = { pid: process.pid, startedAt: new Date().toISOString(), engine: 'proxy', config: undefined };
  const api = buildAdminApi(farm.director, info, { engine: farm.engine, runtime });
  tcp = await listenAdminTcp(api, { listen: `${LOOPBACK}:0`, tokenFile });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
});

after(async () => {
  if (skip) return;
  loading = false;
  await load;
  await browser?.close();
  await tcp.close();
  await health.stop();
  runtime.stop();
  await farm.stop();
  if (!process.env.WEBFARM_UPDATE_SCREENSHOT) await rm(SCREENSHOT, { force: true });
  await Promise.all(reals.map((r) => r.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Keep four clients making short connections through the farm until `loading` is cleared. */
function startLoad(): Promise<void> {
  loading = true;
  const worker = async () => {
    while (loading) await request(farm.port, `hello ${'x'.repeat(200)}\n`);
  };
  return Promise.all([worker(), worker(), worker(), worker()]).then(() => undefined);
}

/** What waitForFunction callbacks use of the page's document (this file has no DOM lib types). */
interface PageDocument {
  querySelector(q: string): { textContent: string | null } | null;
  body: { dataset: Record<string, string | undefined> };
}

const num = (text: string | null) =>
  Number(String(text).replace(/[^\d.]/g, '')) * (/K/.test(String(text)) ? 1000 : 1);

test('dashboard: loads with the token, live numbers move under load, Drain changes the state', {
  skip,
}, async () => {
  assert.ok(browser);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://${LOOPBACK}:${tcp.port}/#token=${TOKEN}`);
  assert.doesNotMatch(page.url(), /token=/, 'the token leaves the address bar');
  const rows = page.locator('tr[data-real]');
  await rows.first().waitFor({ timeout: 10_000 });
  assert.equal(await rows.count(), 3);
  await page.locator('#stream-state[data-state="live"]').waitFor({ timeout: 10_000 });
  await page
    .locator('tr[data-real] [data-field="health"][data-state="up"]')
    .first()
    .waitFor({ timeout: 10_000 });

  const sid = farm.svc.id;
  const [a, b] = reals.map((r) => `${LOOPBACK}:${r.port}`) as [string, string];
  const cell = (rid: string, field: string) =>
    page.locator(`tr[data-real="${sid}/${rid}"] [data-field="${field}"]`);
  const before = num(await cell(a, 'conns').textContent());
  load = startLoad();
  const sel = (field: string) => `tr[data-real="${sid}/${a}"] [data-field="${field}"]`;
  // These callbacks run in the page (serialised: no closures over test code).
  await page.waitForFunction(
    ([q, min]) => {
      const d = (globalThis as unknown as { document: PageDocument }).document;
      return Number(d.querySelector(q)?.textContent) >= min;
    },
    [sel('conns'), before + 20] as const,
    { timeout: 15_000 },
  );
  await page.waitForFunction(
    (q) => {
      const d = (globalThis as unknown as { document: PageDocument }).document;
      return !['0', ''].includes(d.querySelector(q)?.textContent ?? '');
    },
    sel('cps'),
    { timeout: 15_000 },
  );
  assert.ok(num(await cell(a, 'cps').textContent()) > 0);
  assert.ok(num(await cell(a, 'bps').textContent()) > 0);

  await page.locator(`tr[data-real="${sid}/${b}"] button[data-action="drain"]`).click();
  const path = `/v1/services/${encodeURIComponent(sid)}/reals/${encodeURIComponent(b)}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await adminJson<{ admin: string; weight: number }>(
      { port: tcp.port, token: TOKEN },
      'GET',
      path,
    );
    if (r.body.admin === 'drain') {
      assert.equal(r.body.weight, 0);
      break;
    }
    assert.ok(Date.now() < deadline, `timed out waiting for the API to show ${b} draining`);
  }
  await cell(b, 'admin').and(page.locator('[data-state="drain"]')).waitFor({ timeout: 10_000 });
  await page
    .locator('#event-log li', { hasText: `real-changed  ${sid}/${b}  (api: POST` })
    .waitFor({ timeout: 10_000 });
  // A few more seconds of chart, then the picture for docs/.
  await page.waitForFunction(
    () =>
      Number((globalThis as unknown as { document: PageDocument }).document.body.dataset.refreshed ?? 0) >= 8,
    undefined,
    {
      timeout: 20_000,
    },
  );
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  loading = false;
  await load;
  assert.deepEqual(errors, []);
  await page.close();
});

test('dashboard: without a token it asks for one, and a wrong one is refused', { skip }, async () => {
  assert.ok(browser);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://${LOOPBACK}:${tcp.port}/dashboard`);
  await page.locator('#token-form').waitFor({ state: 'visible' });
  await page.fill('#token-input', 'not-the-token-at-all');
  await page.press('#token-input', 'Enter');
  await page.locator('#error', { hasText: 'The token was refused.' }).waitFor({ timeout: 10_000 });
  await page.fill('#token-input', TOKEN);
  await page.press('#token-input', 'Enter');
  await page.locator('tr[data-real]').first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('#token-form').isVisible(), false);
  await context.close();
});
