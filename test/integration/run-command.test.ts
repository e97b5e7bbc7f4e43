import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

// Bad input to `webfarm run` / `webfarm status`: one line naming what is wrong, non-zero exit, nothing left.
const BIN = new URL('../../bin/webfarm.js', import.meta.url).pathname;
let dir: string;

function webfarm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-run-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('run: a port already in use is one line naming the service, exit 1, no admin socket left', async () => {
  const busy = createServer().listen(0, '127.0.0.1');
  await once(busy, 'listening');
  const port = (busy.address() as AddressInfo).port;
  const cfg = join(dir, 'busy.yaml');
  await writeFile(
    cfg,
    `services:\n  - protocol: tcp\n    address: 127.0.0.1\n    port: ${port}\n    scheduler: rr\n    real_servers: ["127.0.0.1:9"]\n  - protocol: tcp\n    address: 127.0.0.1\n    port: 0\n    persistence: true\n    real_servers: ["127.0.0.1:9"]\n`,
  );
  const sock = join(dir, 'busy.sock');
  const r = await webfarm(['run', '-c', cfg, '-s', sock]);
  busy.close();
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, new RegExp(`^webfarm: .*127\\.0\\.0\\.1:${port}.*(in use|EADDRINUSE)`, 'i'));
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!(await readdir(dir)).includes('busy.sock'), 'admin socket never opened');
});

test('run: an invalid config prints FILE:LINE:COL errors, exit 1, nothing started', async () => {
  const cfg = join(dir, 'bad.yaml');
  await writeFile(
    cfg,
    'services:\n  - protocol: tcp\n    address: 127.0.0.1\n    port: 80\n    scheduler: fastest\n',
  );
  const r = await webfarm(['run', '-c', cfg, '-s', join(dir, 'bad.sock')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^${cfg.replace(/[.]/g, '\\.')}:5:16: .*scheduler.*fastest`, 'm'));
  assert.equal(r.stdout, '');
});

test('status: no director running is a one-line error, exit 1', async () => {
  const r = await webfarm(['status', '-s', join(dir, 'nobody.sock')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr.trim(), /^webfarm: cannot reach a director at .*nobody\.sock/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('unknown command and bad option: usage errors, exit 2', async () => {
  assert.equal((await webfarm(['frobnicate'])).code, 2);
  const r = await webfarm(['run', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^webfarm: webfarm run: .*--bogus/);
});
