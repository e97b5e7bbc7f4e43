import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BER, integer, octetString, tlv } from '../../src/health/probes/ber.ts';
import { bindRequest, ldapProbe, parseResultMessage, unbindRequest } from '../../src/health/probes/ldap.ts';
import { until } from '../support/net.ts';
import { closingPeer, hangingPeer, replyOncePeer } from '../support/peers/misbehaving-peer.ts';
import { reasonOf, runProbe, withPeer } from '../support/peers/run-probe.ts';
import {
  ROOT_DN,
  ROOT_PASSWORD,
  SLAPD_BINARY,
  type SlapdPeer,
  startSlapd,
} from '../support/peers/slapd-peer.ts';

// Peer: a real OpenLDAP slapd (Debian) from a generated slapd.conf (mdb database, rootdn/rootpw), in the
// foreground on 127.0.0.1. Misbehaviour comes from raw socket peers.

const skip = SLAPD_BINARY ? false : 'slapd is not installed (apt-get install slapd)';

describe('ldap probe against a real slapd', { skip }, () => {
  let open: SlapdPeer;
  let closed: SlapdPeer;
  before(async () => {
    [open, closed] = await Promise.all([startSlapd(), startSlapd({ disallowAnonymous: true })]);
  });
  after(async () => {
    await Promise.all([open?.stop(), closed?.stop()]);
  });

  test('anonymous bind: up', async () => {
    assert.deepEqual(await runProbe(ldapProbe, open.port), { ok: true, detail: 'anonymous bind' });
  });

  test('rootdn with its password: up', async () => {
    const r = await runProbe(ldapProbe, open.port, { login: ROOT_DN, password: ROOT_PASSWORD });
    assert.deepEqual(r, { ok: true, detail: `bound as ${ROOT_DN}` });
  });

  const down: Array<[string, () => number, { login?: string; password?: string }, string]> = [
    [
      'wrong password',
      () => open.port,
      { login: ROOT_DN, password: 'nope' },
      `bind as "${ROOT_DN}": resultCode 49 (invalidCredentials)`,
    ],
    [
      'a login that is not a DN',
      () => open.port,
      { login: 'admin', password: 'nope' },
      'bind as "admin": resultCode 34 (invalidDNSyntax): "invalid DN"',
    ],
    [
      'anonymous where anonymous binds are disallowed',
      () => closed.port,
      {},
      'bind (anonymous): resultCode 48 (inappropriateAuthentication): "anonymous bind disallowed"',
    ],
  ];
  for (const [name, port, settings, reason] of down) {
    test(`${name}: down`, async () => {
      assert.equal(reasonOf(await runProbe(ldapProbe, port(), settings)), reason);
    });
  }
});

/** An LDAPMessage with an LDAPResult: `op` is the protocolOp tag. */
function resultMessage(id: number, op: number, code: number, diagnostic = ''): Buffer {
  const result = tlv(op, integer(code, BER.ENUMERATED), octetString(''), octetString(diagnostic));
  return tlv(BER.SEQUENCE, integer(id), result);
}

describe('ldap probe against misbehaving peers', () => {
  const answers: Array<[string, Buffer, boolean, RegExp]> = [
    ['a bare success BindResponse', resultMessage(1, 0x61, 0), true, /^anonymous bind$/],
    [
      'busy',
      resultMessage(1, 0x61, 51, 'try later'),
      false,
      /^bind \(anonymous\): resultCode 51 \(busy\): "try later"$/,
    ],
    [
      'a notice of disconnection',
      resultMessage(0, 0x78, 52, 'shutting down'),
      false,
      /^notice of disconnection: resultCode 52 \(unavailable\): "shutting down"$/,
    ],
    [
      'an answer to another message',
      resultMessage(7, 0x61, 0),
      false,
      /^expected a BindResponse to message 1/,
    ],
    [
      'not LDAP at all',
      Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'),
      false,
      /^not an LDAP message from 127\.0\.0\.1:\d+: first byte 0x48$/,
    ],
  ];
  for (const [name, reply, up, detail] of answers) {
    test(`${name}: ${up ? 'up' : 'down'}`, () =>
      withPeer(replyOncePeer(reply), async (peer) => {
        const r = await runProbe(ldapProbe, peer.port, {}, 1000);
        assert.equal(r.ok, up, reasonOf(r));
        assert.match(r.ok ? (r.detail ?? '') : r.reason, detail);
      }));
  }

  test('a peer that accepts and never answers: down at the check timeout, socket released', () =>
    withPeer(hangingPeer(), async (peer) => {
      assert.match(reasonOf(await runProbe(ldapProbe, peer.port, {}, 200)), /^aborted/);
      await until(() => peer.open() === 0, 'the probe to release its socket');
    }));

  test('a peer that closes early (at once, or mid-message): down', async () => {
    await withPeer(closingPeer(), async (peer) => {
      assert.match(
        reasonOf(await runProbe(ldapProbe, peer.port)),
        /^connection closed by peer while waiting for 2 bytes/,
      );
    });
    const partial = resultMessage(1, 0x61, 0).subarray(0, 6);
    await withPeer(replyOncePeer(partial, true), async (peer) => {
      const r = await runProbe(ldapProbe, peer.port);
      assert.match(reasonOf(r), /^connection closed by peer while waiting for 12 bytes after 4 bytes$/);
    });
  });
});

test('ldap: BER golden bytes, long lengths, result parsing, validation', () => {
  assert.equal(
    bindRequest(1, '', '').toString('hex'),
    '300c020101' + '6007' + '020103' + '0400' + '8000',
    'anonymous simple bind (RFC 4511 §4.2)',
  );
  assert.equal(unbindRequest(2).toString('hex'), '300502010242' + '00');
  const long = bindRequest(1, 'x'.repeat(200), 'pw');
  assert.equal(long.subarray(0, 3).toString('hex'), '3081d8', 'a length over 127 uses the long form');
  assert.equal(integer(128).toString('hex'), '02020080', 'a leading 0 keeps 128 positive');
  assert.deepEqual(parseResultMessage(resultMessage(1, 0x61, 49, 'bad')), {
    messageId: 1,
    op: 0x61,
    resultCode: 49,
    diagnostic: 'bad',
  });
  assert.deepEqual(ldapProbe.validate({}, { protocol: 'tcp' }), []);
  assert.deepEqual(ldapProbe.validate({ login: ROOT_DN, password: 'x' }, { protocol: 'tcp' }), []);
  assert.deepEqual(ldapProbe.validate({ login: ROOT_DN, request: 'dc=x' }, { protocol: 'udp' }), [
    'protocol: the ldap check needs a TCP service',
    'request: ldap checks do not use it',
    'login: needs a password (a bind with a DN and no password is unauthenticated)',
  ]);
});
