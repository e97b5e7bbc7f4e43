import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { ProbeResult, ProbeSettings } from '../../src/health/probe.ts';
import { dnsProbe } from '../../src/health/probes/dns.ts';
import { type Dnsmasq, dnsmasqBinary, startDnsmasq } from '../support/peers/dnsmasq.ts';
import { reasonOf } from '../support/peers/run-probe.ts';

/**
 * The dns probe against a real dnsmasq (answers, NXDOMAIN, REFUSED, a stopped server) and against minimal
 * UDP peers: one that never answers, one that answers SERVFAIL.
 */
function runDns(port: number, settings: ProbeSettings, timeoutMs = 5000): Promise<ProbeResult> {
  const target = {
    protocol: 'udp',
    address: '127.0.0.1',
    port,
    virtualAddress: '127.0.0.1',
    virtualPort: 53,
  } as const;
  return dnsProbe.create().run(target, settings, AbortSignal.timeout(timeoutMs));
}

interface Case {
  readonly name: string;
  readonly settings: ProbeSettings;
  readonly down?: RegExp;
  readonly detail?: RegExp;
}

const CASES: readonly Case[] = [
  {
    name: 'an A answer is up',
    settings: { request: 'check.example' },
    detail: /^A check\.example: 192\.0\.2\.7$/,
  },
  {
    name: 'receive matches an answer',
    settings: { request: 'www.check.example', receive: '^192\\.0\\.2\\.7$' },
  },
  {
    name: 'an answer that does not match receive is down',
    settings: { request: 'check.example', receive: '^10\\.' },
    down: /^no A answer for check\.example matched \/\^10\\\.\/; got 192\.0\.2\.7$/,
  },
  { name: 'AAAA', settings: { request: 'v6.check.example', recordType: 'AAAA', receive: '^2001:db8::7$' } },
  { name: 'TXT', settings: { request: 'txt.check.example', recordType: 'TXT', receive: '^webfarm ok$' } },
  {
    name: 'MX',
    settings: { request: 'check.example', recordType: 'mx', receive: '^10 mail\\.check\\.example$' },
  },
  {
    name: 'an address is a PTR lookup (ldirectord)',
    settings: { request: '192.0.2.7', receive: '^check\\.example$' },
  },
  {
    name: 'NXDOMAIN is down',
    settings: { request: 'gone.example' },
    down: /^ENOTFOUND: gone\.example does not exist \(NXDOMAIN\)$/,
  },
  {
    name: 'REFUSED is down',
    settings: { request: 'elsewhere.example' },
    down: /^EREFUSED: the server refused the query for elsewhere\.example/,
  },
];

describe('dns probe against dnsmasq', { skip: dnsmasqBinary() ? false : 'dnsmasq not installed' }, () => {
  let dnsmasq: Dnsmasq | undefined;
  before(async () => {
    dnsmasq = await startDnsmasq(dnsmasqBinary() as string);
  });
  after(async () => {
    await dnsmasq?.stop();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const r = await runDns(dnsmasq!.port, c.settings);
      if (c.down) {
        assert.equal(r.ok, false, reasonOf(r));
        assert.match(reasonOf(r), c.down);
      } else {
        assert.ok(r.ok, reasonOf(r));
        if (c.detail) assert.match(r.detail ?? '', c.detail);
      }
    });
  }

  it('a stopped dnsmasq is down (port unreachable)', async (t) => {
    const other = await startDnsmasq(dnsmasqBinary() as string);
    t.after(() => other.stop());
    assert.ok((await runDns(other.port, { request: 'check.example' })).ok);
    await other.stop();
    const r = await runDns(other.port, { request: 'check.example' });
    assert.match(reasonOf(r), /ECONNREFUSED/);
  });
});

describe('dns probe against minimal peers', () => {
  it('a server that never answers is down at the abort', async (t) => {
    const silent = createSocket('udp4');
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    t.after(() => new Promise<void>((r) => silent.close(() => r())));
    let queries = 0;
    silent.on('message', () => queries++);
    const r = await runDns(silent.address().port, { request: 'check.example' }, 300);
    assert.match(reasonOf(r), /aborted/);
    assert.ok(queries >= 1, 'the query reached the server');
  });

  it('a server that answers SERVFAIL is down', async (t) => {
    const peer = createSocket('udp4');
    // Echo the query back as a response: QR set, RCODE 2 (SERVFAIL), no answers (RFC 1035 §4.1.1).
    peer.on('message', (q, rinfo) => {
      const reply = Buffer.from(q);
      reply[2] = (reply[2] ?? 0) | 0x80;
      reply[3] = ((reply[3] ?? 0) & 0xf0) | 2;
      peer.send(reply, rinfo.port, rinfo.address);
    });
    peer.bind(0, '127.0.0.1');
    await once(peer, 'listening');
    t.after(() => new Promise<void>((r) => peer.close(() => r())));
    const r = await runDns(peer.address().port, { request: 'check.example' });
    assert.match(reasonOf(r), /^ESERVFAIL: /);
  });
});
