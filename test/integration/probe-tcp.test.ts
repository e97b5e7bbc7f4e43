import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { ProbeSettings } from '../../src/health/probe.ts';
import { tcpProbe } from '../../src/health/probes/tcp.ts';
import { freePort, until } from '../support/net.ts';
import { reasonOf, runProbe } from '../support/peers/run-probe.ts';
import { echoServer, startServer, type TestServer } from '../support/servers.ts';

/** The tcp send/expect probe against node:net peers: banner, echo, split replies, hang, close early. */
interface Case {
  readonly name: string;
  readonly peer: (s: Socket) => void;
  readonly settings: ProbeSettings;
  readonly down?: RegExp;
  readonly timeoutMs?: number;
}

const banner = (s: Socket) => {
  s.resume();
  s.write('220 mail.example ESMTP\r\n');
};
const echo = (s: Socket) => s.pipe(s);
/** Answers any data with `reply`, then closes. */
const answerThenClose = (reply: string) => (s: Socket) => s.once('data', () => s.end(reply));
/** Answers any data with `reply` and keeps the connection open. */
const answerThenHang = (reply: string) => (s: Socket) => s.once('data', () => s.write(reply));

const CASES: readonly Case[] = [
  { name: 'no request: the banner is read and any byte is up', peer: banner, settings: {} },
  { name: 'no request: the banner matches receive', peer: banner, settings: { receive: '^220 ' } },
  {
    name: 'no request: a banner that does not match, then silence, is down at the abort',
    peer: banner,
    settings: { receive: '^\\+OK' },
    timeoutMs: 200,
    down: /aborted/,
  },
  {
    name: 'escapes are expanded before sending (the echo must carry real CR LF)',
    peer: echo,
    settings: { request: 'PING\\r\\n', receive: '^PING\\r\\n$' },
  },
  {
    name: 'a reply split across segments is matched on what has arrived so far',
    peer: (s) =>
      s.once('data', () => {
        s.write('+O');
        setTimeout(() => s.write('K ready\r\n'), 20);
      }),
    settings: { request: 'PING\\n', receive: '^\\+OK ready' },
  },
  {
    name: 'a wrong reply and a close is down, quoting the reply',
    peer: answerThenClose('-ERR go away\r\n'),
    settings: { request: 'PING\\n', receive: '^\\+OK' },
    down: /^connection closed by peer before \/\^\\\+OK\/ matched; got "-ERR go away\\r\\n"$/,
  },
  {
    name: 'a wrong reply and silence is down at the abort',
    peer: answerThenHang('-ERR\r\n'),
    settings: { request: 'PING\\n', receive: '^\\+OK' },
    timeoutMs: 200,
    down: /aborted/,
  },
  {
    name: 'a peer that accepts and never answers is down at the abort',
    peer: (s) => s.resume(),
    settings: { request: 'PING\\n', receive: 'PONG' },
    timeoutMs: 200,
    down: /aborted/,
  },
  {
    name: 'a peer that closes at once, no receive: down',
    peer: (s) => s.end(),
    settings: {},
    down: /^connection closed by peer before it sent anything$/,
  },
  {
    name: 'a peer that closes at once, with receive: down',
    peer: (s) => s.end(),
    settings: { request: 'PING\\n', receive: 'PONG' },
    down: /closed by peer before \/PONG\/ matched|EPIPE|ECONNRESET/,
  },
  {
    name: 'the read is bounded: no match in the first 64 KiB is down',
    peer: (s) => {
      s.resume();
      s.write('x'.repeat(70 * 1024));
    },
    settings: { receive: 'never' },
    down: /^no match for \/never\/ in the first 65536 bytes$/,
  },
];

describe('tcp send/expect probe', () => {
  const peers: TestServer[] = [];
  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const p = await startServer(c.peer);
      peers.push(p);
      const r = await runProbe(tcpProbe, p.port, c.settings, c.timeoutMs ?? 5000);
      if (c.down) {
        assert.equal(r.ok, false, reasonOf(r));
        assert.match(reasonOf(r), c.down);
      } else assert.ok(r.ok, reasonOf(r));
    });
  }

  it('sends exactly the expanded request', async () => {
    const received: string[] = [];
    const p = await startServer((s) => {
      s.once('data', (c: Buffer) => {
        received.push(c.toString());
        s.end('ok');
      });
    });
    peers.push(p);
    const r = await runProbe(tcpProbe, p.port, { request: 'a\\tb\\\\n\\n' });
    assert.ok(r.ok, reasonOf(r));
    assert.deepEqual(received, ['a\tb\\n\n']);
  });

  it('at the abort the connection is closed (the peer sees it go)', async () => {
    const p = await startServer((s) => {
      s.resume();
      s.on('end', () => s.end());
    });
    peers.push(p);
    const r = await runProbe(tcpProbe, p.port, { receive: 'x' }, 200);
    assert.match(reasonOf(r), /aborted/);
    await until(() => p.accepted === 1 && p.sockets.size === 0, 'the probe to close its connection');
  });

  it('nobody listening: ECONNREFUSED', async () => {
    const r = await runProbe(tcpProbe, await freePort(), { receive: 'x' });
    assert.match(reasonOf(r), /ECONNREFUSED/);
  });

  it('IPv6 loopback', async (t) => {
    let p: TestServer;
    try {
      p = await echoServer('::1');
    } catch {
      return t.skip('no IPv6 loopback');
    }
    peers.push(p);
    const r = await runProbe(tcpProbe, p.port, { request: 'hello', receive: '^hello$' }, 5000, '::1');
    assert.ok(r.ok, reasonOf(r));
  });
});
