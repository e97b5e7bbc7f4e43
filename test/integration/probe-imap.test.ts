import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imapProbe, imapQuoted } from '../../src/health/probes/imap.ts';
import { until } from '../support/net.ts';
import { imapArgs, startImapPeer } from '../support/peers/imap-peer.ts';
import { closingPeer, hangingPeer, scriptedPeer } from '../support/peers/misbehaving-peer.ts';
import { reasonOf, runProbe, withPeer } from '../support/peers/run-probe.ts';

// Peer: a minimal RFC 3501 server (test/support/peers/imap-peer.ts). Dovecot needs a mail store, users and
// an auth backend configured; the probe only reads the greeting and the LOGIN answer.

const users = { 'alice@example.org': 'p"a\\ss word' };

const dialogues: Array<[string, { login?: string; password?: string }, boolean, string[]]> = [
  ['no login: greeting only', {}, true, ['a2 LOGOUT']],
  [
    'right credentials (quoted, with " and \\ escaped)',
    { login: 'alice@example.org', password: 'p"a\\ss word' },
    true,
    ['a1 LOGIN "alice@example.org" "p\\"a\\\\ss word"', 'a2 LOGOUT'],
  ],
  [
    'wrong password',
    { login: 'alice@example.org', password: 'nope' },
    false,
    ['a1 LOGIN "alice@example.org" "nope"'],
  ],
];
for (const [name, settings, up, lines] of dialogues) {
  test(`imap: ${name}: ${up ? 'up' : 'down'}`, () =>
    withPeer(startImapPeer(users), async (peer) => {
      const r = await runProbe(imapProbe, peer.port, settings);
      assert.equal(r.ok, up, reasonOf(r));
      if (!r.ok) assert.equal(r.reason, 'LOGIN: expected a1 OK, got "a1 NO [AUTHENTICATIONFAILED] failed"');
      await until(() => peer.received.length === lines.length, `${lines.length} lines at the peer`);
      assert.deepEqual(peer.received, lines);
    }));
}

const broken: Array<[string, string[], RegExp]> = [
  ['a * BYE greeting', ['* BYE too busy\r\n'], /^greeting: expected \* OK, got "\* BYE too busy"/],
  ['a * PREAUTH greeting is not * OK', ['* PREAUTH hi\r\n'], /^greeting: expected \* OK/],
  ['LOGIN answered BAD', ['* OK hi\r\n', 'a1 BAD syntax\r\n'], /^LOGIN: expected a1 OK, got "a1 BAD syntax"/],
  [
    'a stray untagged-less line',
    ['* OK hi\r\n', 'hello\r\n'],
    /^unexpected line from 127\.0\.0\.1:\d+: "hello"/,
  ],
];
for (const [name, script, reason] of broken) {
  test(`imap: ${name}: down`, () =>
    withPeer(scriptedPeer(script), async (peer) => {
      assert.match(reasonOf(await runProbe(imapProbe, peer.port, { login: 'a', password: 'b' })), reason);
    }));
}

test('imap: a peer that accepts and never answers: down at the check timeout, socket released', () =>
  withPeer(hangingPeer(), async (peer) => {
    assert.match(reasonOf(await runProbe(imapProbe, peer.port, {}, 200)), /^aborted/);
    await until(() => peer.open() === 0, 'the probe to release its socket');
  }));

test('imap: a peer that closes early (at once, or after the greeting): down', async () => {
  await withPeer(closingPeer(), async (peer) => {
    assert.match(reasonOf(await runProbe(imapProbe, peer.port)), /^connection closed by peer/);
  });
  await withPeer(closingPeer('* OK hi\r\n'), async (peer) => {
    const r = await runProbe(imapProbe, peer.port, { login: 'a', password: 'b' });
    assert.match(reasonOf(r), /^connection closed by peer/);
  });
});

test('imap: quoting round-trips through the peer parser', () => {
  for (const s of ['', 'plain', 'with space', 'q"uote', 'back\\slash', '\\"']) {
    assert.deepEqual(imapArgs(`${imapQuoted(s)} ${imapQuoted('x')}`), [s, 'x'], s);
  }
});

test('imap: validation', () => {
  assert.deepEqual(imapProbe.validate({ login: 'a', password: 'b' }, { protocol: 'tcp' }), []);
  assert.deepEqual(imapProbe.validate({ password: 'b', database: 'x' }, { protocol: 'tcp' }), [
    'database: imap checks do not use it',
    'password: set without login for the imap check',
  ]);
});
