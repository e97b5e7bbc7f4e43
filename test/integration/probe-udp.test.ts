import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import type { ProbeResult, ProbeSettings } from '../../src/health/probe.ts';
import { udpProbe } from '../../src/health/probes/udp.ts';
import { reasonOf } from '../support/peers/run-probe.ts';
import { freeUdpPort, type UdpPeer, udpEchoServer, udpNameServer } from '../support/udp.ts';

/** The udp send/expect probe against node:dgram peers: echo, fixed reply, silence, port unreachable. */
function runUdp(port: number, settings: ProbeSettings, timeoutMs = 5000, address = '127.0.0.1') {
  const target = { protocol: 'udp', address, port, virtualAddress: address, virtualPort: port } as const;
  return udpProbe.create().run(target, settings, AbortSignal.timeout(timeoutMs));
}

function assertDown(r: ProbeResult, reason: RegExp): void {
  assert.equal(r.ok, false, reasonOf(r));
  assert.match(reasonOf(r), reason);
}

describe('udp send/expect probe', () => {
  const peers: UdpPeer[] = [];
  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
  });
  async function keep(p: Promise<UdpPeer>): Promise<UdpPeer> {
    const peer = await p;
    peers.push(peer);
    return peer;
  }

  it('an echo of the expanded request matches receive', async () => {
    const p = await keep(udpEchoServer());
    const r = await runUdp(p.port, { request: 'STATUS\\r\\n', receive: '^STATUS\\r\\n$' });
    assert.ok(r.ok, reasonOf(r));
    assert.deepEqual(p.received, [Buffer.from('STATUS\r\n')]);
  });

  it('any reply is up without receive', async () => {
    const p = await keep(udpNameServer('pong'));
    const r = await runUdp(p.port, { request: 'ping' });
    assert.ok(r.ok, reasonOf(r));
    assert.match(r.ok ? (r.detail ?? '') : '', /"pong"/);
  });

  it('a reply that does not match is down, quoting it', async () => {
    const p = await keep(udpNameServer('maintenance'));
    assertDown(
      await runUdp(p.port, { request: 'ping', receive: '^pong' }),
      /^reply did not match \/\^pong\/; got "maintenance"$/,
    );
  });

  it('a peer that never replies is down at the abort', async () => {
    const silent = createSocket('udp4');
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    let got = 0;
    silent.on('message', () => got++);
    try {
      assertDown(await runUdp(silent.address().port, { request: 'ping' }, 200), /aborted/);
      assert.equal(got, 1);
    } finally {
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('a closed port (ICMP port unreachable) is down at once', async () => {
    assertDown(await runUdp(await freeUdpPort(), { request: 'ping' }), /^ECONNREFUSED: port unreachable$/);
  });

  it('IPv6 loopback', async (t) => {
    const s = createSocket('udp6');
    try {
      s.bind(0, '::1');
      await once(s, 'listening');
    } catch {
      s.close();
      return t.skip('no IPv6 loopback');
    }
    s.on('message', (msg, rinfo) => s.send(msg, rinfo.port, rinfo.address));
    try {
      const r = await runUdp(s.address().port, { request: 'v6', receive: '^v6$' }, 5000, '::1');
      assert.ok(r.ok, reasonOf(r));
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});
