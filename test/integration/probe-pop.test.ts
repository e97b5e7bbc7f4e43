import assert from 'node:assert/strict';
import { test } from 'node:test';
import { popProbe } from '../../src/health/probes/pop.ts';
import { until } from '../support/net.ts';
import { closingPeer, hangingPeer, scriptedPeer } from '../support/peers/misbehaving-peer.ts';
import { startPopPeer } from '../support/peers/pop-peer.ts';
import { reasonOf, runProbe, withPeer } from '../support/peers/run-probe.ts';

// Peer: a minimal RFC 1939 server (test/support/peers/pop-peer.ts). Dovecot needs a mail store, users and
// an auth backend configured; the probe only reads the greeting and USER/PASS answers.

const users = { alice: 'wonder land' };

const dialogues: Array<[string, { login?: string; password?: string }, boolean, string[]]> = [
  ['no login: greeting only', {}, true, ['QUIT']],
  [
    'right credentials',
    { login: 'alice', password: 'wonder land' },
    true,
    ['USER alice', 'PASS wonder land', 'QUIT'],
  ],
  ['wrong password', { login: 'alice', password: 'nope' }, false, ['USER alice', 'PASS nope']],
  ['unknown user', { login: 'bob', password: 'x' }, false, ['USER bob', 'PASS x']],
];
for (const [name, settings, up, lines] of dialogues) {
  test(`pop: ${name}: ${up ? 'up' : 'down'}`, () =>
    withPeer(startPopPeer(users), async (peer) => {
      const r = await runProbe(popProbe, peer.port, settings);
      assert.equal(r.ok, up, reasonOf(r));
      if (!r.ok) {
        assert.equal(r.reason, 'PASS: expected +OK, got "-ERR [AUTH] authentication failed"');
        assert.doesNotMatch(r.reason, /nope/);
      }
      await until(() => peer.received.length === lines.length, `${lines.length} lines at the peer`);
      assert.deepEqual(peer.received, lines);
    }));
}

const broken: Array<[string, string[], RegExp]> = [
  ['a -ERR greeting', ['-ERR too many connections\r\n'], /^greeting: expected \+OK, got "-ERR too many/],
  ['USER refused', ['+OK hi\r\n', '-ERR no such mailbox\r\n'], /^USER: expected \+OK, got "-ERR no such/],
];
for (const [name, script, reason] of broken) {
  test(`pop: ${name}: down`, () =>
    withPeer(scriptedPeer(script), async (peer) => {
      assert.match(reasonOf(await runProbe(popProbe, peer.port, { login: 'a', password: 'b' })), reason);
    }));
}

test('pop: a peer that accepts and never answers: down at the check timeout, socket released', () =>
  withPeer(hangingPeer(), async (peer) => {
    assert.match(reasonOf(await runProbe(popProbe, peer.port, {}, 200)), /^aborted/);
    await until(() => peer.open() === 0, 'the probe to release its socket');
  }));

test('pop: a peer that closes early (at once, or after the greeting): down', async () => {
  await withPeer(closingPeer(), async (peer) => {
    assert.match(reasonOf(await runProbe(popProbe, peer.port)), /^connection closed by peer/);
  });
  await withPeer(closingPeer('+OK hi\r\n'), async (peer) => {
    const r = await runProbe(popProbe, peer.port, { login: 'a', password: 'b' });
    assert.match(reasonOf(r), /^connection closed by peer/);
  });
});

test('pop: validation', () => {
  const table: Array<[Parameters<typeof popProbe.validate>[0], string[]]> = [
    [{}, []],
    [{ login: 'a' }, []],
    [{ login: 'a', password: 'b' }, []],
    [{ password: 'b' }, ['password: set without login for the pop check']],
    [{ login: 'a\r\nDELE 1' }, ['login: must not contain CR, LF or NUL']],
    [{ request: '/' }, ['request: pop checks do not use it']],
  ];
  for (const [settings, problems] of table) {
    assert.deepEqual(popProbe.validate(settings, { protocol: 'tcp' }), problems, JSON.stringify(settings));
  }
});
