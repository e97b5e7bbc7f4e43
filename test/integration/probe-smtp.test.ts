import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { smtpProbe } from '../../src/health/probes/smtp.ts';
import { until } from '../support/net.ts';
import { closingPeer, hangingPeer, scriptedPeer } from '../support/peers/misbehaving-peer.ts';
import { reasonOf, runProbe, withPeer } from '../support/peers/run-probe.ts';
import { startSmtpPeer } from '../support/peers/smtp-peer.ts';

// Peer: a minimal RFC 5321 server (test/support/peers/smtp-peer.ts). Postfix needs a mail system's worth of
// setup (spool, master process, aliases) for a check that only reads the opening dialogue.

const helo = hostname() || 'localhost';

test('smtp: an ESMTP server (220, multi-line 250 to EHLO): up, and the probe says QUIT', () =>
  withPeer(startSmtpPeer(), async (peer) => {
    const r = await runProbe(smtpProbe, peer.port);
    assert.equal(r.ok, true, reasonOf(r));
    await until(() => peer.received.length === 2, 'EHLO and QUIT at the peer');
    assert.deepEqual(peer.received, [`EHLO ${helo}`, 'QUIT']);
    await until(() => peer.open() === 0, 'the connection to close');
  }));

test('smtp: an RFC 821 server refusing EHLO with 502: up through HELO', () =>
  withPeer(startSmtpPeer({ rfc821: true }), async (peer) => {
    const r = await runProbe(smtpProbe, peer.port);
    assert.deepEqual(r, { ok: true, detail: 'HELO accepted (EHLO refused)' });
    await until(() => peer.received.length === 3, 'EHLO, HELO and QUIT at the peer');
    assert.deepEqual(peer.received, [`EHLO ${helo}`, `HELO ${helo}`, 'QUIT']);
  }));

test('smtp: a 554 greeting (service refused): down with the code and text', () =>
  withPeer(startSmtpPeer({ greeting: '554 5.3.2 no service for you\r\n' }), async (peer) => {
    const r = await runProbe(smtpProbe, peer.port);
    assert.equal(reasonOf(r), 'greeting: expected 220, got 554 "5.3.2 no service for you"');
  }));

const broken: Array<[string, string[], RegExp]> = [
  [
    'EHLO answered 421 (shutting down)',
    ['220 hi\r\n', '421 4.3.2 closing\r\n'],
    /^EHLO: expected 250, got 421/,
  ],
  [
    'HELO refused after EHLO refused',
    ['220 hi\r\n', '500 no\r\n', '550 no\r\n'],
    /^HELO: expected 250, got 550/,
  ],
  ['not SMTP at all', ['SSH-2.0-OpenSSH_9.2\r\n'], /^malformed reply from 127\.0\.0\.1:\d+: "SSH-2\.0/],
];
for (const [name, script, reason] of broken) {
  test(`smtp: ${name}: down`, () =>
    withPeer(scriptedPeer(script), async (peer) => {
      assert.match(reasonOf(await runProbe(smtpProbe, peer.port)), reason);
    }));
}

test('smtp: a peer that accepts and never answers: down at the check timeout, socket released', () =>
  withPeer(hangingPeer(), async (peer) => {
    const r = await runProbe(smtpProbe, peer.port, {}, 200);
    assert.match(reasonOf(r), /^aborted/);
    await until(() => peer.open() === 0, 'the probe to release its socket');
  }));

test('smtp: a peer that closes early: down', async () => {
  for (const first of ['', '220-first line of a multi-line greeting\r\n']) {
    await withPeer(closingPeer(first), async (peer) => {
      const r = await runProbe(smtpProbe, peer.port);
      assert.match(reasonOf(r), /^connection closed by peer while waiting for a line/, JSON.stringify(first));
    });
  }
});

test('smtp: validation', () => {
  assert.deepEqual(smtpProbe.validate({}, { protocol: 'tcp' }), []);
  assert.deepEqual(smtpProbe.validate({ receive: 'x', login: 'u' }, { protocol: 'udp' }), [
    'protocol: the smtp check needs a TCP service',
    'receive: smtp checks do not use it',
    'login: smtp checks do not use it',
  ]);
});
