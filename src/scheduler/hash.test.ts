import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldAddress, GOLDEN_RATIO_32, hash32 } from './hash.ts';

test('hash32 is (val * GOLDEN_RATIO_32 mod 2^32) >> (32 - bits)', () => {
  const cases: [number, number, number][] = [
    [0, 8, 0],
    [1, 8, GOLDEN_RATIO_32 >>> 24],
    [1, 10, GOLDEN_RATIO_32 >>> 22],
    [0xc0000201, 8, Number((0xc0000201n * 0x61c88647n) & 0xffffffffn) >>> 24],
    [0xffffffff, 8, Number((0xffffffffn * 0x61c88647n) & 0xffffffffn) >>> 24],
  ];
  for (const [val, bits, want] of cases) assert.equal(hash32(val, bits), want, `${val} ${bits}`);
});

test('foldAddress: IPv4 is its 32-bit value, IPv6 the XOR of its four words', () => {
  const cases: [string, number][] = [
    ['0.0.0.0', 0],
    ['192.0.2.1', 0xc0000201],
    ['255.255.255.255', 0xffffffff],
    ['127.0.0.1', 0x7f000001],
    ['::', 0],
    ['::1', 1],
    ['2001:db8::1', (0x20010db8 ^ 0 ^ 0 ^ 1) >>> 0],
    ['2001:db8:1:2:3:4:5:6', (0x20010db8 ^ 0x00010002 ^ 0x00030004 ^ 0x00050006) >>> 0],
    ['2001:DB8::A:B', (0x20010db8 ^ 0x000a000b) >>> 0],
    ['::ffff:192.0.2.1', (0x0000ffff ^ 0xc0000201) >>> 0],
    ['fe80::1%eth0', (0xfe800000 ^ 1) >>> 0],
    ['1::', 0x00010000],
  ];
  for (const [text, want] of cases) assert.equal(foldAddress(text), want, text);
});
