import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

// The demo farm as a user runs it: the real executable, real HTTP through the proxy engine.
const BIN = new URL('../../bin/webfarm.js', import.meta.url).pathname;
let child: ChildProcess;
let port: number;
let dir: string;
let socket: string;

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const p = (s.address() as AddressInfo).port;
  s.close();
  await once(s, 'close');
  return p;
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** Resolve with stdout once `needle` has been printed (bounded by the test timeout). */
function waitFor(p: ChildProcess, needle: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout?.setEncoding('utf8');
    p.stdout?.on('data', (c: string) => {
      out += c;
      if (out.includes(needle)) resolve(out);
    });
    p.once('exit', (code) => reject(new Error(`exited ${code} before "${needle}": ${out}`)));
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-demo-'));
  socket = join(dir, 'admin.sock');
  port = await freePort();
  child = spawn(process.execPath, [BIN, 'run', '--port', String(port), '-s', socket], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitFor(child, 'press Ctrl-C');
});

after(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

test('demo farm: repeated requests reach all three demo servers', async () => {
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const body = await httpGet(`http://127.0.0.1:${port}/`);
    const m = /Hello from (demo-\d)/.exec(body);
    assert.ok(m, `unexpected body ${body}`);
    seen.add(m[1] as string);
  }
  assert.deepEqual([...seen].sort(), ['demo-1', 'demo-2', 'demo-3']);
});

test('demo farm: webfarm status shows the service and per-server connection totals', async () => {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [BIN, 'status', '--json', '-s', socket]);
  const doc = JSON.parse(stdout) as {
    services: Array<{ port: number; stats: { conns: number }; reals: unknown[] }>;
  };
  const svc = doc.services[0]!;
  assert.equal(svc.port, port);
  assert.equal(svc.reals.length, 3);
  assert.ok(svc.stats.conns >= 6, `conns ${svc.stats.conns}`);
  const human = await run(process.execPath, [BIN, 'status', '-s', socket]);
  assert.match(human.stdout, new RegExp(`TCP  127\\.0\\.0\\.1:${port} rr`));
  assert.equal((human.stdout.match(/ {2}-> 127\.0\.0\.1:\d+ +masq/g) ?? []).length, 3);
});

test('demo farm: SIGTERM stops it cleanly with exit code 0', async () => {
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
});
