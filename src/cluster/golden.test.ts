import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyClassic } from './auth.ts';
import { decodeClassic, encodeClassic } from './classic-codec.ts';
import {
  F,
  msgDeadtimeMs,
  msgGeneration,
  msgSeq,
  msgSrc,
  msgSrcUuid,
  msgTimestamp,
  msgTtl,
  msgType,
} from './message-fields.ts';
import { getString, withoutField } from './message.ts';
import { decodeNetstring, encodeNetstring } from './netstring-codec.ts';
import { decodePacket, sealPacket, verifyPacket } from './packet.ts';
import { CAPTURE_KEYS, loadCapture } from './testing/heartbeat-capture.ts';

// Golden tests against the bytes real heartbeat 3.0.6 daemons sent (test/fixtures/heartbeat/README.md).

const capture = loadCapture();

test('golden: the fixture holds the four captured payloads', () => {
  assert.deepEqual(
    capture.map((c) => `${c.from} ${c.type} ${c.bytes.length}`),
    ['192.0.2.4 NS_ackmsg 281', '192.0.2.4 status 307', '192.0.2.5 status 307', '192.0.2.5 NS_ackmsg 281'],
  );
});

test('golden: every captured payload decodes, with its fields in wire order', () => {
  for (const c of capture) {
    const r = decodeNetstring(c.bytes);
    assert.ok(r.ok, `${c.type}: ${JSON.stringify(r)}`);
    const m = r.value.message;
    assert.equal(msgType(m), c.type);
    assert.equal(msgSrc(m), c.from === '192.0.2.4' ? 'hba' : 'hbb');
    assert.equal(msgSrcUuid(m)?.length, 16);
    assert.equal(msgTtl(m), 3);
    assert.match(r.value.authToken ?? '', /^1 [0-9a-f]{40}$/);
    assert.equal(r.value.signed.length, c.bytes.length - 46, 'the trailer is 46 bytes: "42:1 <40 hex>,"');
  }
  const status = decodeNetstring(capture[1]!.bytes);
  assert.ok(status.ok);
  const m = status.value.message;
  assert.deepEqual(
    m.fields.map((f) => f.name),
    ['t', 'st', 'dt', 'protocol', 'src', 'srcuuid', 'seq', 'hg', 'ts', 'ld', 'ttl', 'auth'],
  );
  assert.equal(getString(m, F.status), 'active');
  assert.equal(msgDeadtimeMs(m), 2000);
  assert.equal(msgSeq(m), 0x7a);
  assert.equal(msgGeneration(m), 0x6b023342);
  assert.equal(msgTimestamp(m), 0x6b023357);
  assert.equal(getString(m, F.load), '0.04 0.30 0.73 1/88 24741');
});

test('golden: the trailing token verifies with the capture key (HMAC-SHA1 over ### … %%%\\n)', () => {
  for (const c of capture) {
    const r = decodePacket(c.bytes);
    assert.ok(r.ok);
    assert.deepEqual(verifyPacket(r.value, CAPTURE_KEYS), { ok: true, keyId: 1 }, c.type);
  }
});

test('golden: the inner auth field verifies too (HMAC-SHA1 over the classic lines, auth excluded)', () => {
  for (const c of capture) {
    const r = decodeNetstring(c.bytes);
    assert.ok(r.ok);
    assert.deepEqual(verifyClassic(r.value.message, CAPTURE_KEYS), { ok: true, keyId: 1 }, c.type);
  }
});

test('golden: a wrong key fails both tokens', () => {
  const wrong = { sendId: 1, keys: new Map([[1, { id: 1, method: 'sha1', key: 'Secret' } as const]]) };
  for (const c of capture) {
    const r = decodePacket(c.bytes);
    assert.ok(r.ok);
    assert.deepEqual(verifyPacket(r.value, wrong), { ok: false, reason: 'bad-digest' });
    assert.deepEqual(verifyClassic(r.value.message, wrong), { ok: false, reason: 'bad-digest' });
  }
});

test('golden: re-encoding the decoded message with its token gives the identical bytes', () => {
  for (const c of capture) {
    const r = decodeNetstring(c.bytes);
    assert.ok(r.ok);
    const again = encodeNetstring(r.value.message, r.value.authToken);
    assert.ok(again.ok);
    assert.deepEqual(Buffer.from(again.bytes), Buffer.from(c.bytes), c.type);
  }
});

test('golden: signing from scratch (no auth field) reproduces the daemon packet byte for byte', () => {
  for (const c of capture) {
    const r = decodeNetstring(c.bytes);
    assert.ok(r.ok);
    const sealed = sealPacket(withoutField(r.value.message, F.auth), 'netstring', CAPTURE_KEYS);
    assert.ok(sealed.ok);
    assert.deepEqual(Buffer.from(sealed.bytes), Buffer.from(c.bytes), c.type);
  }
});

test('golden: a captured message carried in the classic form round-trips and authenticates', () => {
  for (const c of capture) {
    const r = decodeNetstring(c.bytes);
    assert.ok(r.ok);
    const classic = encodeClassic(r.value.message);
    assert.ok(classic.ok);
    const text = Buffer.from(classic.bytes).toString('latin1');
    assert.match(text, /^>>>\nt=/);
    assert.match(text, /\n\(1\)srcuuid=[A-Za-z0-9+/]{22}==\n/);
    const back = decodeClassic(classic.bytes);
    assert.ok(back.ok);
    assert.deepEqual(back.value, r.value.message);
    assert.deepEqual(verifyClassic(back.value, CAPTURE_KEYS), { ok: true, keyId: 1 });
  }
});
