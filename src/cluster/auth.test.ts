import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  type AuthKeys,
  authToken,
  classicDigestInput,
  computeDigest,
  signClassic,
  verifyClassic,
  verifyToken,
} from './auth.ts';
import { crc32Posix } from './crc32-posix.ts';
import { getString, message, withField } from './message.ts';

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

test('crc: heartbeat crc.c is CRC-32/POSIX (check value 0x765e7680), printed with %lx', () => {
  assert.equal(crc32Posix(ascii('123456789')), 0x765e7680);
  assert.equal(crc32Posix(ascii('')), 0xffffffff);
  assert.equal(computeDigest('crc', '', ascii('123456789')), '765e7680');
  // %lx has no leading zeros: find an input whose CRC has a leading zero nibble and check the width.
  let i = 0;
  while (crc32Posix(ascii(String(i))) >= 0x10000000) i++;
  assert.equal(computeDigest('crc', '', ascii(String(i))).length < 8, true);
});

test('crc: table entries equal heartbeat crctab[1], [2] and [255]', () => {
  // crc(x) for a one-byte input b is ~table[b] when the register starts at 0.
  const entry = (b: number) => ~crc32Posix(new Uint8Array([b])) >>> 0;
  assert.equal(entry(1), 0x04c11db7);
  assert.equal(entry(2), 0x09823b6e);
  assert.equal(entry(255), 0xb1f740b4);
});

test('HMAC methods match the RFC 2202 / RFC 4231 vectors (key "Jefe")', () => {
  const data = ascii('what do ya want for nothing?');
  assert.equal(computeDigest('md5', 'Jefe', data), '750c783e6ab0b503eaa86e310a5db738');
  assert.equal(computeDigest('sha1', 'Jefe', data), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  assert.equal(
    computeDigest('sha256', 'Jefe', data),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
});

test('HMAC keys longer than 64 bytes are hashed first, as heartbeat does', () => {
  const key = 'k'.repeat(100);
  const data = ascii('x');
  for (const m of ['md5', 'sha1', 'sha256'] as const) {
    const hashed = createHash(m).update(key).digest();
    assert.equal(computeDigest(m, key, data), createHmac(m, hashed).update(data).digest('hex'), m);
  }
});

const keys: AuthKeys = {
  sendId: 2,
  keys: new Map([
    [1, { id: 1, method: 'crc', key: '' }],
    [2, { id: 2, method: 'sha1', key: 'secret' }],
    [3, { id: 3, method: 'md5', key: 'secret' }],
    [4, { id: 4, method: 'sha256', key: 'secret' }],
  ]),
};

test('verifyToken: every rule, one row each', () => {
  const data = ascii('t=status\n');
  const good = (id: number) => authToken(keys.keys.get(id)!, data);
  const cases: [string, string | undefined, object][] = [
    ['crc', good(1), { ok: true, keyId: 1 }],
    ['sha1', good(2), { ok: true, keyId: 2 }],
    ['md5', good(3), { ok: true, keyId: 3 }],
    ['sha256', good(4), { ok: true, keyId: 4 }],
    ['absent', undefined, { ok: false, reason: 'unauthenticated' }],
    ['no digest', '2', { ok: false, reason: 'bad-auth-format' }],
    ['two spaces', good(2).replace(' ', '  '), { ok: false, reason: 'bad-auth-format' }],
    ['uppercase digest', good(2).toUpperCase(), { ok: false, reason: 'bad-auth-format' }],
    ['trailing space', `${good(2)} `, { ok: false, reason: 'bad-auth-format' }],
    ['unknown key id', good(2).replace(/^2/, '9'), { ok: false, reason: 'unknown-key' }],
    ['digest of another method', `2 ${good(3).slice(2)}`, { ok: false, reason: 'bad-digest' }],
    [
      'one digit off',
      good(2).replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      { ok: false, reason: 'bad-digest' },
    ],
    ['truncated', good(2).slice(0, -1), { ok: false, reason: 'bad-digest' }],
  ];
  for (const [name, token, want] of cases) assert.deepEqual(verifyToken(token, data, keys), want, name);
});

test('classic signing digests every field but auth, as classic lines; auth is set in place or appended', () => {
  const m = message([
    ['t', 'status'],
    ['u', new Uint8Array([1, 2, 3])],
    ['info', 'a\nb'],
  ]);
  assert.equal(Buffer.from(classicDigestInput(m)!).toString('latin1'), 't=status\n(1)u=AQID\ninfo=a\x13b\n');
  const signed = signClassic(m, keys)!;
  assert.equal(signed.fields.at(-1)?.name, 'auth');
  assert.equal(getString(signed, 'auth'), `2 ${computeDigest('sha1', 'secret', classicDigestInput(m)!)}`);
  assert.deepEqual(verifyClassic(signed, keys), { ok: true, keyId: 2 });
  // Re-signing replaces the field where it stands.
  const moved = message([['auth', 'old'], ...m.fields.map((f) => [f.name, f.value] as const)]);
  const resigned = signClassic(moved, keys)!;
  assert.equal(resigned.fields[0]?.name, 'auth');
  assert.deepEqual(verifyClassic(resigned, keys), { ok: true, keyId: 2 });
  // Any change to a signed field breaks it.
  const tampered = withField(signed, 't', 'statuS');
  assert.deepEqual(verifyClassic(tampered, keys), { ok: false, reason: 'bad-digest' });
});

test('signClassic refuses without a send key or with an unsignable field', () => {
  assert.equal(signClassic(message([['t', 'x']]), { sendId: 7, keys: keys.keys }), undefined);
  assert.equal(signClassic(message([['t', 'x\ry']]), keys), undefined);
});
