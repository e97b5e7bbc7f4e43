import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AuthKeys } from './auth.ts';
import { decodeClassic, encodeClassic } from './classic-codec.ts';
import { bytesToByteString, type Field, type Message, message } from './message.ts';
import { decodeNetstring, encodeNetstring } from './netstring-codec.ts';
import { decodePacket, sealPacket, type WireFormat } from './packet.ts';
import { INITIAL_RECEIVE_STATE, type ReceiveConfig, type ReceiveState, receive } from './receive-filter.ts';
import { DEFAULT_SEQ_LIMITS } from './seq-track.ts';
import { loadCapture } from './testing/heartbeat-capture.ts';

// Property tests. CI size by default (a few seconds); WEBFARM_FUZZ_RUNS=100000 for a long run.
const RUNS = Number(process.env.WEBFARM_FUZZ_RUNS ?? 200);
const opts = { numRuns: RUNS };

const keys: AuthKeys = {
  sendId: 1,
  keys: new Map([
    [1, { id: 1, method: 'sha1', key: 'secret' }],
    [2, { id: 2, method: 'crc', key: '' }],
  ]),
};
const config: ReceiveConfig = { localNode: 'alpha', nodes: new Set(['alpha', 'beta', 'gamma']), keys };
const capture = loadCapture().map((c) => c.bytes);

// --- arbitraries -------------------------------------------------------------------------------------------

const nameArb = fc.stringMatching(/^[!-<>-~]{1,10}$/).filter((n) => !/^\([0-9]\)/.test(n));
const byteStringArb = fc.uint8Array({ maxLength: 40 }).map(bytesToByteString);
const fieldArb = (format: WireFormat): fc.Arbitrary<Field> =>
  fc.oneof(
    fc.record({
      name: nameArb,
      type: fc.constant('string' as const),
      value: byteStringArb.filter(
        (v) => !v.includes('\0') && (format === 'netstring' || !(v.includes('\r') || v.includes('\x13'))),
      ),
    }),
    fc.record({
      name: nameArb,
      type: fc.constant('binary' as const),
      value: fc.uint8Array({ maxLength: 20 }),
    }),
  );
const messageArb = (format: WireFormat): fc.Arbitrary<Message> =>
  fc
    .array(fieldArb(format), { minLength: 1, maxLength: 12 })
    .map((fields) => ({ fields: fields.map((f) => ({ ...f })) }));

const formatArb = fc.constantFrom<WireFormat>('classic', 'netstring');
const srcArb = fc.constantFrom('alpha', 'beta', 'gamma', 'mallory');

/** A valid heartbeat-like message from a node, sealed with our keys in either format. */
const sealedArb = fc
  .record({
    format: formatArb,
    src: srcArb,
    seq: fc.integer({ min: 1, max: 300 }),
    hg: fc.integer({ min: 1, max: 4 }),
    type: fc.constantFrom('status', 'ifstat', 'NS_ackmsg', 'NS_rexmit', 'NS_nak_rexmit'),
    dest: fc.option(fc.constantFrom('alpha', 'beta'), { nil: undefined }),
  })
  .map(({ format, src, seq, hg, type, dest }) => {
    const pairs: [string, string][] = [
      ['t', type],
      ['src', src],
      ['seq', seq.toString(16)],
      ['hg', hg.toString(16)],
      ['firstseq', seq.toString(16)],
    ];
    if (dest !== undefined) pairs.push(['dest', dest]);
    const r = sealPacket(message(pairs), format, keys);
    assert.ok(r.ok);
    return r.bytes;
  });

const validPacketArb = fc.oneof(sealedArb, fc.constantFrom(...capture));

/** Ways to damage a packet: bit flips, truncation, a duplicated span, a huge length, random insertions. */
const mutatedArb = fc.oneof(
  fc.tuple(validPacketArb, fc.nat(), fc.integer({ min: 0, max: 7 })).map(([p, i, bit]) => {
    const b = p.slice();
    b[i % b.length]! ^= 1 << bit;
    return b;
  }),
  fc.tuple(validPacketArb, fc.nat()).map(([p, n]) => p.slice(0, n % p.length)),
  fc.tuple(validPacketArb, fc.nat(), fc.nat({ max: 60 })).map(([p, at, len]) => {
    const i = at % p.length;
    return Uint8Array.from([...p.subarray(0, i + len), ...p.subarray(i)]);
  }),
  fc
    .tuple(validPacketArb, fc.constantFrom('999999:', '4294967296:', '99999999999999999999:', '0:'))
    .map(([p, len]) => {
      const t = Buffer.from(p)
        .toString('latin1')
        .replace(/\n[0-9]+:/, `\n${len}`);
      return new Uint8Array(Buffer.from(t, 'latin1'));
    }),
  fc.tuple(validPacketArb, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([p, at, junk]) => {
    const i = at % p.length;
    return Uint8Array.from([...p.subarray(0, i), ...junk, ...p.subarray(i)]);
  }),
);

const anyBytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 1500 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.from([...Buffer.from('>>>\n'), ...b])),
  fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.from([...Buffer.from('###\n'), ...b])),
  mutatedArb,
);

/** A state reached by feeding some valid packets. */
const stateArb = fc.array(sealedArb, { maxLength: 12 }).map((ps) => {
  let s: ReceiveState = INITIAL_RECEIVE_STATE;
  ps.forEach((bytes, i) => {
    s = receive(s, { bytes, link: 'l', now: i }, config).state;
  });
  return s;
});

// --- properties --------------------------------------------------------------------------------------------

test('fuzz: decoders never throw on random or damaged bytes', () => {
  fc.assert(
    fc.property(anyBytesArb, (b) => {
      decodePacket(b);
      decodeClassic(b);
      decodeNetstring(b);
    }),
    opts,
  );
});

test('fuzz: any encodable message round-trips through each format', () => {
  for (const format of ['classic', 'netstring'] as const) {
    fc.assert(
      fc.property(messageArb(format), (m) => {
        const enc = format === 'classic' ? encodeClassic(m) : encodeNetstring(m);
        if (!enc.ok) return enc.reason === 'too-large';
        const dec = format === 'classic' ? decodeClassic(enc.bytes) : decodeNetstring(enc.bytes);
        assert.ok(dec.ok, JSON.stringify(dec));
        assert.deepEqual('message' in dec.value ? dec.value.message : dec.value, m);
        return true;
      }),
      opts,
    );
  }
});

test('fuzz: whatever the netstring decoder accepts re-encodes to the same bytes', () => {
  fc.assert(
    fc.property(fc.oneof(validPacketArb, mutatedArb), (b) => {
      const dec = decodeNetstring(b);
      if (!dec.ok) return;
      const enc = encodeNetstring(dec.value.message, dec.value.authToken);
      assert.ok(enc.ok);
      assert.deepEqual(Buffer.from(enc.bytes), Buffer.from(b));
    }),
    opts,
  );
});

test('fuzz: the filter never throws, and a rejected packet leaves the state as it was', () => {
  fc.assert(
    fc.property(stateArb, fc.oneof(anyBytesArb, validPacketArb), (state, bytes) => {
      const before = structuredClone(state);
      const s = receive(state, { bytes, link: 'l', now: 99 }, config);
      if (s.verdict.kind === 'reject') {
        assert.equal(s.state, state);
        assert.deepEqual(s.actions, []);
      }
      assert.deepEqual(state, before, 'the input state is never mutated');
    }),
    opts,
  );
});

test('fuzz: an authenticated packet with any single byte changed is rejected', () => {
  fc.assert(
    fc.property(
      stateArb,
      validPacketArb,
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (state, p, at, delta) => {
        const b = p.slice();
        const i = at % b.length;
        b[i] = (b[i]! + delta) & 0xff;
        const s = receive(state, { bytes: b, link: 'l', now: 1 }, config);
        assert.equal(s.verdict.kind, 'reject', `byte ${i} of ${Buffer.from(p).toString('latin1')}`);
        assert.equal(s.state, state);
      },
    ),
    opts,
  );
});

test('fuzz: seq-track invariants hold over any packet sequence', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(sealedArb, mutatedArb), { maxLength: 40 }), (ps) => {
      let s: ReceiveState = INITIAL_RECEIVE_STATE;
      for (const bytes of ps) {
        s = receive(s, { bytes, link: 'l', now: 0 }, config).state;
        for (const t of s.peers.values()) {
          assert.ok(t.missing.length <= DEFAULT_SEQ_LIMITS.maxMissing);
          assert.ok(
            t.missing.every((x, k) => k === 0 || t.missing[k - 1]! < x),
            'missing ascending',
          );
          assert.ok(
            t.lastSeq === undefined || t.missing.every((x) => x < t.lastSeq!),
            'missing below lastSeq',
          );
        }
      }
    }),
    opts,
  );
});
