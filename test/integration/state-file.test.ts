import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type StateDoc, parseState } from '../../src/admin/state-file.ts';
import { type RunningFarm, startFarm } from '../../src/bin/farm.ts';
import { loadFarmPlan } from '../../src/cli/load-plan.ts';
import type { Logger } from '../../src/platform/log.ts';
import { adminJson } from '../support/admin-http.ts';
import { freePort } from '../support/net.ts';

// Runtime changes survive a restart (the state file wins while the config is the one it descends from);
// an edited config wins at the next start or reload, keeping only admin states (docs/operations.md).
let dir: string;
let cfg: string;
let sock: string;
let vport: number;
const lines: string[] = [];
const log: Logger = {
  info: (e, f) => lines.push(`info ${e} ${JSON.stringify(f ?? {})}`),
  warn: (e, f) => lines.push(`warn ${e} ${JSON.stringify(f ?? {})}`),
  error: (e, f) => lines.push(`error ${e} ${JSON.stringify(f ?? {})}`),
};

const config = (reals: string[]) =>
  `services:\n  - address: 127.0.0.1\n    port: ${vport}\n    scheduler: wrr\n    real_servers: [${reals.map((r) => `"${r}"`).join(', ')}]\n`;

async function start(): Promise<RunningFarm> {
  const loaded = await loadFarmPlan(cfg);
  assert.ok(loaded.ok);
  return startFarm({ plan: loaded.plan, configPath: cfg, socket: sock, log });
}

type Status = {
  timeouts: { tcpMs: number };
  services: Array<{ id: string; reals: Array<Record<string, unknown>> }>;
};
async function table(): Promise<{ tcpMs: number; reals: string[] }> {
  const r = await adminJson<Status>({ socketPath: sock }, 'GET', '/v1/status');
  return {
    tcpMs: r.body.timeouts.tcpMs,
    reals: (r.body.services[0]?.reals ?? []).map((x) => `${x.id} w${x.configuredWeight} ${x.admin}`).sort(),
  };
}

/** Poll the state file until `cond` holds (bounded, like `until`). */
async function waitState(cond: (d: StateDoc) => boolean, what: string): Promise<StateDoc> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const d = await stateDoc().catch(() => undefined);
    if (d && cond(d)) return d;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function stateDoc(): Promise<StateDoc> {
  const r = parseState(await readFile(join(dir, 'state.json'), 'utf8'));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.doc;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-state-'));
  cfg = join(dir, 'farm.yaml');
  sock = join(dir, 'admin.sock');
  vport = await freePort();
  await writeFile(cfg, config(['127.0.0.1:9001', '127.0.0.1:9002']));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sid = () => encodeURIComponent(`tcp:127.0.0.1:${vport}`);

test('state file: API changes are written and come back after a restart; an edited config wins', async () => {
  let farm = await start();
  try {
    assert.equal(farm.stateFile, join(dir, 'state.json'));
    const api = { socketPath: sock };
    assert.equal(
      (await adminJson(api, 'PATCH', `/v1/services/${sid()}/reals/127.0.0.1:9001`, { weight: 5 })).status,
      200,
    );
    assert.equal(
      (await adminJson(api, 'POST', `/v1/services/${sid()}/reals`, { address: '127.0.0.1', port: 9003 }))
        .status,
      201,
    );
    assert.equal(
      (await adminJson(api, 'POST', `/v1/services/${sid()}/reals/127.0.0.1:9002/maintenance`)).status,
      200,
    );
    assert.equal((await adminJson(api, 'PUT', '/v1/timeouts', { tcpMs: 60_000 })).status, 200);
    // The writes follow the replies; wait (bounded) for the last one.
    const doc = await waitState((d) => d.timeouts.tcpMs === 60_000, 'the timeouts change on disk');
    assert.equal(doc.timeouts.tcpMs, 60_000, 'the timeouts change (no director event) is written too');
    assert.deepEqual(
      doc.services[0]?.reals.map((r) => `${r.port} ${r.weight} ${r.admin}`),
      ['9001 5 enabled', '9002 1 maintenance', '9003 1 enabled'],
    );
  } finally {
    await farm.stop();
  }

  // Restart with the same config: the state file wins for everything.
  farm = await start();
  try {
    assert.deepEqual(await table(), {
      tcpMs: 60_000,
      reals: ['127.0.0.1:9001 w5 enabled', '127.0.0.1:9002 w1 maintenance', '127.0.0.1:9003 w1 enabled'],
    });
    assert.ok(
      lines.some((l) => l.startsWith('info state-file-loaded') && l.includes('"source":"state-file"')),
    );
  } finally {
    await farm.stop();
  }

  // The config was edited while stopped: the config wins; 9002 keeps its maintenance admin state.
  await writeFile(cfg, config(['127.0.0.1:9001', '127.0.0.1:9002', '127.0.0.1:9004']));
  farm = await start();
  try {
    assert.deepEqual(await table(), {
      tcpMs: 900_000,
      reals: ['127.0.0.1:9001 w1 enabled', '127.0.0.1:9002 w1 maintenance', '127.0.0.1:9004 w1 enabled'],
    });
    assert.ok(lines.some((l) => l.startsWith('warn state-file-stale')));
    // A runtime change after that, then a reload: the config is re-asserted, the admin state stays.
    await adminJson({ socketPath: sock }, 'PATCH', `/v1/services/${sid()}/reals/127.0.0.1:9004`, {
      weight: 9,
    });
    const r = await adminJson({ socketPath: sock }, 'POST', '/v1/reload');
    assert.equal(r.status, 200);
    assert.deepEqual((await table()).reals, [
      '127.0.0.1:9001 w1 enabled',
      '127.0.0.1:9002 w1 maintenance',
      '127.0.0.1:9004 w1 enabled',
    ]);
    await adminJson({ socketPath: sock }, 'PATCH', `/v1/services/${sid()}/reals/127.0.0.1:9001`, {
      weight: 3,
    });
  } finally {
    await farm.stop();
  }

  // The file written after the reload descends from the current config: it wins again.
  farm = await start();
  try {
    assert.deepEqual((await table()).reals, [
      '127.0.0.1:9001 w3 enabled',
      '127.0.0.1:9002 w1 maintenance',
      '127.0.0.1:9004 w1 enabled',
    ]);
  } finally {
    await farm.stop();
  }
  assert.deepEqual(
    lines.filter((l) => l.startsWith('error')),
    [],
  );
});

test('state file: a corrupt file is reported and ignored; the config starts and the file is rewritten', async () => {
  await writeFile(join(dir, 'state.json'), '{"version": 1, "services": [');
  const farm = await start();
  try {
    assert.ok(lines.some((l) => l.startsWith('warn state-file-ignored')));
    assert.equal((await table()).reals.length, 3);
  } finally {
    await farm.stop();
  }
  assert.equal((await stateDoc()).services[0]?.reals.length, 3);
});
