import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProbeSettings } from '../../src/health/probe.ts';
import { httpProbe } from '../../src/health/probes/http.ts';
import { freePort } from '../support/net.ts';
import { hangAndCloseCases } from '../support/peers/hang-and-close.ts';
import { type Nginx, nginxBinary, startNginx } from '../support/peers/nginx.ts';
import { reasonOf, runProbe } from '../support/peers/run-probe.ts';
import { startServer, type TestServer } from '../support/servers.ts';

/** The http probe against a real nginx (up, wrong status, wrong body, slow body) and misbehaving peers. */
interface Case {
  readonly name: string;
  readonly settings: ProbeSettings;
  /** undefined = up; otherwise the failure reason must match. */
  readonly down?: RegExp;
  readonly detail?: RegExp;
  readonly timeoutMs?: number;
}

const NGINX_CASES: readonly Case[] = [
  { name: 'GET / with defaults is up (any 2xx)', settings: {}, detail: /HTTP 200/ },
  {
    name: 'receive matches the body; Host defaults to the real address',
    settings: { request: '/health', receive: '^ok host=127\\.0\\.0\\.1 ' },
    detail: /matched/,
  },
  {
    name: 'request without a leading slash is a path (ldirectord)',
    settings: { request: 'health', receive: '^ok' },
  },
  {
    name: 'virtualhost is the Host header',
    settings: { request: '/health', virtualhost: 'www.example.test', receive: 'host=www\\.example\\.test ' },
  },
  { name: 'HEAD is up on a 200', settings: { request: '/health', method: 'HEAD' } },
  { name: 'a 500 is down', settings: { request: '/boom' }, down: /^HTTP 500$/ },
  { name: 'a 500 is up when status: 500 is expected', settings: { request: '/boom', status: 500 } },
  { name: 'a 418 is down by default', settings: { request: '/teapot' }, down: /^HTTP 418$/ },
  { name: 'status: 418 expects exactly 418', settings: { request: '/teapot', status: 418 } },
  { name: 'status: 418 rejects a 200', settings: { request: '/health', status: 418 }, down: /^HTTP 200$/ },
  { name: 'a redirect is not followed: 302 is down', settings: { request: '/moved' }, down: /^HTTP 302$/ },
  {
    name: 'a wrong body is down',
    settings: { request: '/maintenance', receive: '^ok' },
    down: /^body did not match \/\^ok\/; got "maintenance\\n"$/,
  },
  {
    name: 'the body read is bounded: a match past 64 KiB is down',
    settings: { request: '/big', receive: 'BIG-END' },
    down: /did not match \/BIG-END\/ in its first 65536 bytes/,
  },
  { name: 'a match early in a big body is up', settings: { request: '/big', receive: '^b{1000}' } },
  {
    name: 'a slow body is cut off at the check timeout',
    settings: { request: '/slow', receive: 'SLOW-END' },
    timeoutMs: 300,
    down: /aborted/,
  },
  {
    name: 'without receive the body is not awaited: a slow body is up',
    settings: { request: '/slow' },
    timeoutMs: 2000,
  },
];

describe('http probe against nginx', { skip: nginxBinary() ? false : 'nginx not installed' }, () => {
  let dir = '';
  let nginx: Nginx | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webfarm-nginx-'));
    nginx = await startNginx(nginxBinary() as string, dir);
  });
  after(async () => {
    await nginx?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const c of NGINX_CASES) {
    it(c.name, async () => {
      const r = await runProbe(httpProbe, nginx!.port, c.settings, c.timeoutMs ?? 5000);
      if (c.down) {
        assert.equal(r.ok, false, reasonOf(r));
        assert.match(reasonOf(r), c.down);
      } else {
        assert.ok(r.ok, reasonOf(r));
        if (c.detail) assert.match(r.detail ?? '', c.detail);
      }
    });
  }

  it('a stopped nginx is down with ECONNREFUSED', async (t) => {
    const other = await startNginx(nginxBinary() as string, dir);
    t.after(() => other.stop());
    assert.ok((await runProbe(httpProbe, other.port)).ok);
    await other.stop();
    const r = await runProbe(httpProbe, other.port);
    assert.match(reasonOf(r), /ECONNREFUSED/);
  });
});

describe('http probe against misbehaving peers', () => {
  const peers: TestServer[] = [];
  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
  });
  async function peer(onConnection: Parameters<typeof startServer>[0]): Promise<TestServer> {
    const p = await startServer(onConnection);
    peers.push(p);
    return p;
  }

  hangAndCloseCases(httpProbe, { stage: 'after the request', closedReason: /ECONNRESET|socket hang up/ });

  it('a peer that closes mid-body: down when the body is needed', async () => {
    const p = await peer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
        setImmediate(() => s.destroy());
      });
    });
    const r = await runProbe(httpProbe, p.port, { receive: 'never-sent' });
    assert.equal(r.ok, false, reasonOf(r));
    assert.match(reasonOf(r), /closed mid-body|ECONNRESET|aborted/);
  });

  it('nobody listening: ECONNREFUSED', async () => {
    const r = await runProbe(httpProbe, await freePort());
    assert.match(reasonOf(r), /ECONNREFUSED/);
  });

  it('an already aborted signal: down without connecting', async () => {
    const p = await peer((s) => s.resume());
    const ac = new AbortController();
    ac.abort();
    const target = {
      protocol: 'tcp',
      address: '127.0.0.1',
      port: p.port,
      virtualAddress: '127.0.0.1',
      virtualPort: 80,
    } as const;
    const r = await httpProbe.create().run(target, {}, ac.signal);
    assert.match(reasonOf(r), /aborted/);
    assert.equal(p.accepted, 0);
  });
});
