import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BER, children, decodeInteger, encodeLength, integer, octetString, readHeader, tlv } from './ber.ts';

test('ber: length forms (X.690 §8.1.3)', () => {
  const table: Array<[number, string]> = [
    [0, '00'],
    [127, '7f'],
    [128, '8180'],
    [255, '81ff'],
    [256, '820100'],
    [65_536, '83010000'],
  ];
  for (const [n, hex] of table) assert.equal(encodeLength(n).toString('hex'), hex, String(n));
});

test('ber: a TLV header round-trips, and a partial header asks for more', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 0, max: 0x1e }), (length, tag) => {
      const header = Buffer.concat([Buffer.from([tag]), encodeLength(length)]);
      assert.deepEqual(readHeader(header), { tag, headerLength: header.length, length });
      if (header.length > 2) assert.equal(readHeader(header.subarray(0, header.length - 1)), undefined);
    }),
  );
});

test('ber: integers round-trip; constructed values split into children', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
      const [only] = children(integer(n));
      assert.equal(only?.tag, BER.INTEGER);
      assert.equal(decodeInteger(only!.content), n);
    }),
  );
  const seq = tlv(BER.SEQUENCE, integer(5), octetString('dn'), integer(2, BER.ENUMERATED));
  const [outer] = children(seq);
  assert.deepEqual(
    children(outer!.content).map((t) => [t.tag, t.content.toString('hex')]),
    [
      [BER.INTEGER, '05'],
      [BER.OCTET_STRING, '646e'],
      [BER.ENUMERATED, '02'],
    ],
  );
});

test('ber: forms LDAP forbids and truncation are errors', () => {
  assert.throws(() => readHeader(Buffer.from('3080', 'hex')), /indefinite length/);
  assert.throws(() => readHeader(Buffer.from('1f01', 'hex')), /multi-byte tags/);
  assert.throws(() => readHeader(Buffer.from('3085', 'hex')), /5-byte length/);
  assert.throws(() => children(Buffer.from('0405ab', 'hex')), /truncated/);
  assert.throws(() => decodeInteger(Buffer.alloc(0)), /0-byte integer/);
});
