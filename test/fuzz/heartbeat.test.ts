import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeClassic } from '../../src/cluster/classic-codec.ts';
import type { Decoded } from '../../src/cluster/codec-result.ts';
import { decodeNetstring } from '../../src/cluster/netstring-codec.ts';
import { decodePacket } from '../../src/cluster/packet.ts';
import { INITIAL_RECEIVE_STATE, REJECT_REASONS, receive } from '../../src/cluster/receive-filter.ts';
import { CAPTURE_KEYS, loadCapture } from '../../src/cluster/testing/heartbeat-capture.ts';
import { check } from './support.ts';

// Heartbeat messages. src/cluster/fuzz.test.ts already fuzzes the decoders and the receive filter for
// crashes, round trips and state (reused, not repeated here); this adds what a rejection must say: a
// known reason code, the byte offset where decoding stopped (inside the packet), a non-empty detail; and
// the filter's reject verdicts carry one of its documented reasons.

const capture = loadCapture().map((c) => c.bytes);
const DECODE_REASONS = new Set([
  'empty',
  'too-large',
  'no-start',
  'no-end',
  'nul-byte',
  'no-equals',
  'empty-name',
  'bad-name',
  'bad-value',
  'bad-type',
  'bad-base64',
  'bad-netstring',
  'no-fields',
  'trailing-data',
]);

const damagedArb = fc.oneof(
  fc.uint8Array({ maxLength: 1500 }),
  fc.tuple(fc.constantFrom(...capture), fc.nat(), fc.integer({ min: 0, max: 7 })).map(([p, i, bit]) => {
    const b = p.slice();
    b[i % b.length]! ^= 1 << bit;
    return b;
  }),
  fc.tuple(fc.constantFrom(...capture), fc.nat()).map(([p, n]) => p.slice(0, n % (p.length + 1))),
  fc
    .tuple(fc.constantFrom(...capture), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 }))
    .map(([p, at, junk]) => {
      const i = at % (p.length + 1);
      return Uint8Array.from([...p.subarray(0, i), ...junk, ...p.subarray(i)]);
    }),
);

function clearRefusal<T>(r: Decoded<T>, bytes: Uint8Array, what: string): void {
  if (r.ok) return;
  assert.ok(DECODE_REASONS.has(r.reason), `${what}: unknown reason ${r.reason}`);
  assert.ok(
    Number.isInteger(r.offset) && r.offset >= 0 && r.offset <= bytes.length,
    `${what}: offset ${r.offset} outside ${bytes.length} bytes`,
  );
  assert.ok(r.detail.trim() !== '', `${what}: empty detail`);
}

test('fuzz heartbeat: every decode refusal has a known reason, an offset inside the packet and a detail', () => {
  check(
    fc.property(damagedArb, (b) => {
      clearRefusal(decodePacket(b), b, 'packet');
      clearRefusal(decodeClassic(b), b, 'classic');
      clearRefusal(decodeNetstring(b), b, 'netstring');
    }),
  );
});

test('fuzz heartbeat: the receive filter rejects damaged packets with a documented reason', () => {
  const config = { localNode: 'nobody', nodes: new Set(['alpha', 'beta']), keys: CAPTURE_KEYS };
  check(
    fc.property(damagedArb, (bytes) => {
      const s = receive(INITIAL_RECEIVE_STATE, { bytes, link: 'l', now: 0 }, config);
      if (s.verdict.kind !== 'reject') return;
      assert.ok(REJECT_REASONS.includes(s.verdict.reason), s.verdict.reason);
      assert.ok(s.verdict.detail.trim() !== '', `empty detail for ${s.verdict.reason}`);
    }),
  );
});
