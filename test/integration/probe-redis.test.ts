import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redisProbe, respCommand } from '../../src/health/probes/redis.ts';
import { until } from '../support/net.ts';
import { closingPeer, hangingPeer, scriptedPeer } from '../support/peers/misbehaving-peer.ts';
import { REDIS_BINARY, type RedisPeer, startRedis } from '../support/peers/redis-peer.ts';
import { reasonOf, runProbe } from '../support/peers/run-probe.ts';

const skip = REDIS_BINARY ? false : 'redis-server is not installed (apt-get install redis-server)';

describe('redis probe against a real redis-server', { skip }, () => {
  let open: RedisPeer;
  let locked: RedisPeer;
  before(async () => {
    [open, locked] = await Promise.all([startRedis(), startRedis('s3cret pass')]);
  });
  after(async () => {
    await Promise.all([open?.server.stop(), locked?.server.stop()]);
  });

  test('PING answered +PONG: up', async () => {
    const r = await runProbe(redisProbe, open.port);
    assert.equal(r.ok, true, reasonOf(r));
  });

  test('with the right password: up', async () => {
    const r = await runProbe(redisProbe, locked.port, { password: 's3cret pass' });
    assert.equal(r.ok, true, reasonOf(r));
  });

  test('ACL form AUTH default <password>: up', async () => {
    const r = await runProbe(redisProbe, locked.port, { login: 'default', password: 's3cret pass' });
    assert.equal(r.ok, true, reasonOf(r));
  });

  const down: Array<[string, () => number, { password?: string }, RegExp]> = [
    ['no password on a locked server', () => locked.port, {}, /^PING: "NOAUTH/],
    ['wrong password', () => locked.port, { password: 'nope' }, /^AUTH: "WRONGPASS/],
    [
      'a password on a server without one',
      () => open.port,
      { password: 'x' },
      /^AUTH: "ERR|^AUTH: "WRONGPASS/,
    ],
  ];
  for (const [name, port, settings, reason] of down) {
    test(`${name}: down with the server's words`, async () => {
      const r = await runProbe(redisProbe, port(), settings);
      assert.equal(r.ok, false);
      assert.match(reasonOf(r), reason);
      assert.doesNotMatch(reasonOf(r), /nope/, 'the password never appears in a reason');
    });
  }
});

describe('redis probe against misbehaving peers', () => {
  test('a peer that accepts and never answers: down at the check timeout, socket released', async () => {
    const peer = await hangingPeer();
    try {
      const r = await runProbe(redisProbe, peer.port, {}, 200);
      assert.equal(r.ok, false);
      assert.match(reasonOf(r), /^aborted/);
      assert.equal(peer.accepted(), 1);
      await until(() => peer.open() === 0, 'the probe to release its socket', 2000);
    } finally {
      await peer.close();
    }
  });

  test('a peer that closes at once: down, closed early', async () => {
    const peer = await closingPeer();
    try {
      const r = await runProbe(redisProbe, peer.port);
      assert.equal(r.ok, false);
      assert.match(reasonOf(r), /closed by peer while waiting for a line/);
    } finally {
      await peer.close();
    }
  });

  test('a peer answering something else: down, quoted', async () => {
    const peer = await scriptedPeer(['', '$4\r\nPONG\r\n']);
    try {
      const r = await runProbe(redisProbe, peer.port);
      assert.equal(r.ok, false);
      assert.equal(reasonOf(r), 'PING: expected +PONG, got "$4"');
    } finally {
      await peer.close();
    }
  });

  test('nothing listening: down, refused', async () => {
    const peer = await hangingPeer();
    const port = peer.port;
    await peer.close();
    const r = await runProbe(redisProbe, port);
    assert.equal(r.ok, false);
    assert.match(reasonOf(r), /^connect to 127\.0\.0\.1:\d+: ECONNREFUSED$/);
  });
});

test('redis: RESP encoding and validation', () => {
  assert.equal(respCommand('PING').toString(), '*1\r\n$4\r\nPING\r\n');
  assert.equal(respCommand('AUTH', 'pä').toString(), '*2\r\n$4\r\nAUTH\r\n$3\r\npä\r\n');
  const table: Array<[Parameters<typeof redisProbe.validate>[0], 'tcp' | 'udp', string[]]> = [
    [{}, 'tcp', []],
    [{ password: 'x' }, 'tcp', []],
    [{ login: 'u' }, 'tcp', ['login: needs a password (AUTH user password)']],
    [{}, 'udp', ['protocol: the redis check needs a TCP service']],
    [{ request: 'GET x' }, 'tcp', ['request: redis checks do not use it']],
    [{ password: 'a\r\nFLUSHALL' }, 'tcp', ['password: must not contain CR, LF or NUL']],
  ];
  for (const [settings, protocol, problems] of table) {
    assert.deepEqual(redisProbe.validate(settings, { protocol }), problems, JSON.stringify(settings));
  }
});
