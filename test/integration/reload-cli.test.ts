import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { adminJson } from '../support/admin-http.ts';
import { freePort, until, within } from '../support/net.ts';
import { type TestServer, nameServers } from '../support/servers.ts';

// The triggers, through the real executable: SIGHUP to `webfarm run`, and `webfarm reload -s SOCKET`.
const BIN = new URL('../../bin/webfarm.js', import.meta.url).pathname;
let dir: string;
let cfg: string;
let sock: string;
let vport: number;
let reals: TestServer[];
let child: ChildProcess;
let stderr = '';

function webfarm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const config = (ports: number[], extra = '') =>
  [
    'services:',
    '  - address: 127.0.0.1',
    `    port: ${vport}`,
    '    scheduler: rr',
    `    real_servers: [${ports.map((p) => `"127.0.0.1:${p}"`).join(', ')}]`,
    extra,
    '',
  ].join('\n');

async function realIds(): Promise<string[]> {
  const r = await adminJson<{ services: Array<{ reals: Array<{ id: string }> }> }>(
    { socketPath: sock },
    'GET',
    '/v1/status',
  );
  return (r.body.services[0]?.reals.map((x) => x.id) ?? []).sort();
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-reload-cli-'));
  cfg = join(dir, 'farm.yaml');
  sock = join(dir, 'admin.sock');
  vport = await freePort();
  reals = await nameServers(['a', 'b']);
  await writeFile(cfg, config([reals[0]!.port]));
  child = spawn(process.execPath, [BIN, 'run', '-c', cfg, '-s', sock], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  await until(() => stdout.includes('press Ctrl-C'), 'webfarm run to be ready', 20_000);
});

after(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await within(once(child, 'exit'), 'webfarm run to stop', 10_000);
  }
  await Promise.all(reals.map((r) => r.close()));
  await rm(dir, { recursive: true, force: true });
});

test('SIGHUP re-reads the config and applies the difference, one log line', async () => {
  await writeFile(cfg, config([reals[0]!.port, reals[1]!.port]));
  assert.ok(child.pid !== undefined);
  process.kill(child.pid, 'SIGHUP');
  await until(() => / info reload /.test(stderr), 'the reload log line', 10_000).catch((e: Error) => {
    throw new Error(
      `${e.message}; child exit ${child.exitCode} signal ${child.signalCode}; stderr:\n${stderr}`,
    );
  });
  assert.match(stderr, / info reload .*reals_added=1 .*reals_removed=0/);
  assert.deepEqual(await realIds(), [`127.0.0.1:${reals[0]!.port}`, `127.0.0.1:${reals[1]!.port}`].sort());
  assert.equal(child.exitCode, null, 'still running');
});

test('webfarm reload: a bad config prints every FILE:LINE:COL error, exit 1, nothing applied', async () => {
  const before = await realIds();
  await writeFile(cfg, config([reals[0]!.port], '    scheduler_flags: [bogus]\n    weight: 3'));
  const r = await webfarm(['reload', '-s', sock]);
  assert.equal(r.code, 1, r.stderr);
  const located = r.stderr.split('\n').filter((l) => l.startsWith(`${cfg}:`));
  assert.ok(located.length >= 2, r.stderr);
  for (const l of located) assert.match(l, /^.+:\d+:\d+: /);
  assert.match(r.stderr, /^webfarm: .*nothing applied/m);
  assert.deepEqual(await realIds(), before);
});

test('webfarm reload: prints what changed, exit 0', async () => {
  await writeFile(cfg, config([reals[1]!.port]));
  const r = await webfarm(['reload', '-s', sock]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^webfarm: reloaded .*farm\.yaml: services \+0 -0 ~0, real servers \+0 -1 ~0$/m);
  assert.match(r.stdout, /^ {2}remove-real tcp:127\.0\.0\.1:\d+ 127\.0\.0\.1:\d+$/m);
  assert.deepEqual(await realIds(), [`127.0.0.1:${reals[1]!.port}`]);
  const again = await webfarm(['reload', '-s', sock, '--json']);
  assert.equal(again.code, 0);
  assert.deepEqual(JSON.parse(again.stdout).operations, []);
});
