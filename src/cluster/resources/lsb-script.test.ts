import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LsbScriptResource, lsbStatus } from './lsb-script.ts';
import { spawnProcessRunner } from './process-runner.ts';
import { exit, FakeRunner } from './testing/fake-runner.ts';

test('lsbStatus: output first (stopped words, then running/OK), then the exit code', () => {
  const cases: [number, string, 'running' | 'stopped'][] = [
    [0, 'httpd is running', 'running'],
    [0, 'Running', 'running'],
    [0, 'OK', 'running'],
    [3, 'httpd is not running', 'stopped'],
    [0, 'httpd is not running', 'stopped'], // exit 0 but says so (old heartbeat scripts)
    [0, 'stopped', 'stopped'],
    [0, 'Stopped', 'stopped'],
    [0, '', 'running'],
    [3, '', 'stopped'],
    [1, 'dead but pid file exists', 'stopped'],
    [0, 'ok', 'running'], // LSB exit 0
  ];
  for (const [code, stdout, want] of cases) {
    assert.equal(lsbStatus({ code, signal: null, stdout, stderr: '' }), want, `${code} ${stdout}`);
  }
});

test('argv: SCRIPT ARGS… VERB; start/stop skip when already so; non-zero is a failure', async () => {
  let running = false;
  const runner = new FakeRunner((argv) => {
    const verb = argv.at(-1);
    if (verb === 'status') return exit(running ? 0 : 3, running ? 'running' : 'not running');
    if (verb === 'start') {
      running = true;
      return exit(0);
    }
    return exit(1, '', 'cannot stop');
  });
  const r = new LsbScriptResource({ path: '/etc/ha.d/resource.d/httpd', args: ['a', 'b'] }, runner);
  assert.equal(r.name, '/etc/ha.d/resource.d/httpd::a::b');
  assert.deepEqual(await r.start(), { ok: true });
  assert.deepEqual(await r.start(), { ok: true });
  const stopped = await r.stop();
  assert.equal(stopped.ok, false);
  if (!stopped.ok) assert.match(stopped.reason, /httpd stop: exit 1: cannot stop/);
  assert.deepEqual(runner.lines(), [
    '/etc/ha.d/resource.d/httpd a b status',
    '/etc/ha.d/resource.d/httpd a b start',
    '/etc/ha.d/resource.d/httpd a b status',
    '/etc/ha.d/resource.d/httpd a b status',
    '/etc/ha.d/resource.d/httpd a b stop',
  ]);
});

test('a real script through the spawn runner', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-lsb-'));
  try {
    const state = join(dir, 'state');
    const script = join(dir, 'svc');
    await writeFile(
      script,
      `#!/bin/sh
case "$2" in
  start) echo up > "${state}"; exit 0 ;;
  stop) rm -f "${state}"; exit 0 ;;
  status) if [ -f "${state}" ]; then echo "$1 is running"; exit 0; else echo "$1 is not running"; exit 3; fi ;;
esac
exit 2
`,
    );
    await chmod(script, 0o755);
    const r = new LsbScriptResource({ path: script, args: ['svc1'] }, spawnProcessRunner);
    assert.equal(await r.status(), 'stopped');
    assert.deepEqual(await r.start(), { ok: true });
    assert.equal(await r.status(), 'running');
    assert.deepEqual(await r.stop(), { ok: true });
    assert.equal(await r.status(), 'stopped');
    const missing = new LsbScriptResource({ path: join(dir, 'nope') }, spawnProcessRunner);
    const m = await missing.start();
    assert.equal(m.ok, false);
    if (!m.ok) assert.match(m.reason, /ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
