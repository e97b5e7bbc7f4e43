/**
 * SipHash-c-d (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012) on 32-bit limbs, so the hot
 * path allocates nothing. The Linux kernel's `hsiphash` on 64-bit machines is SipHash-1-3 truncated to its
 * low 32 bits (lib/siphash.c: "on 64-bit, we make HalfSipHash1-3 actually be SipHash1-3"); `hsiphash32`
 * reproduces that for a 4-byte input stored little-endian (x86-64, arm64), as the IPVS mh scheduler hashes it.
 */

/** A 128-bit key as four 32-bit words: k0 low, k0 high, k1 low, k1 high. */
export type SipKey = Readonly<Uint32Array>;

export function sipKey(k0: bigint, k1: bigint): SipKey {
  const m = 0xffffffffn;
  return Uint32Array.of(Number(k0 & m), Number((k0 >> 32n) & m), Number(k1 & m), Number((k1 >> 32n) & m));
}

// State v0..v3 as [hi, lo] pairs: s[0]=v0hi s[1]=v0lo s[2]=v1hi ... s[7]=v3lo. Module scratch: no allocation.
const s = new Uint32Array(8);

function add(a: number, b: number): void {
  const lo = (s[a + 1]! + s[b + 1]!) >>> 0;
  const carry = lo < s[a + 1]! ? 1 : 0;
  s[a] = (s[a]! + s[b]! + carry) >>> 0;
  s[a + 1] = lo;
}

function rotl(a: number, n: number): void {
  const hi = s[a]!;
  const lo = s[a + 1]!;
  if (n === 32) {
    s[a] = lo;
    s[a + 1] = hi;
    return;
  }
  s[a] = ((hi << n) | (lo >>> (32 - n))) >>> 0;
  s[a + 1] = ((lo << n) | (hi >>> (32 - n))) >>> 0;
}

function xor(a: number, b: number): void {
  s[a] = (s[a]! ^ s[b]!) >>> 0;
  s[a + 1] = (s[a + 1]! ^ s[b + 1]!) >>> 0;
}

const V0 = 0;
const V1 = 2;
const V2 = 4;
const V3 = 6;

function sipRound(): void {
  add(V0, V1);
  rotl(V1, 13);
  xor(V1, V0);
  rotl(V0, 32);
  add(V2, V3);
  rotl(V3, 16);
  xor(V3, V2);
  add(V0, V3);
  rotl(V3, 21);
  xor(V3, V0);
  add(V2, V1);
  rotl(V1, 17);
  xor(V1, V2);
  rotl(V2, 32);
}

function init(key: SipKey): void {
  // "somepseudorandomlygeneratedbytes" XOR the key (k0 into v0/v2, k1 into v1/v3).
  s[0] = (0x736f6d65 ^ key[1]!) >>> 0;
  s[1] = (0x70736575 ^ key[0]!) >>> 0;
  s[2] = (0x646f7261 ^ key[3]!) >>> 0;
  s[3] = (0x6e646f6d ^ key[2]!) >>> 0;
  s[4] = (0x6c796765 ^ key[1]!) >>> 0;
  s[5] = (0x6e657261 ^ key[0]!) >>> 0;
  s[6] = (0x74656462 ^ key[3]!) >>> 0;
  s[7] = (0x79746573 ^ key[2]!) >>> 0;
}

/** Absorb one 64-bit little-endian word (hi, lo) with `c` rounds. */
function compress(hi: number, lo: number, c: number): void {
  s[6] = (s[6]! ^ hi) >>> 0;
  s[7] = (s[7]! ^ lo) >>> 0;
  for (let i = 0; i < c; i++) sipRound();
  s[0] = (s[0]! ^ hi) >>> 0;
  s[1] = (s[1]! ^ lo) >>> 0;
}

/** Finalise with `d` rounds; leaves the 64-bit result in s[0] (hi) and s[1] (lo). */
function finish(d: number): void {
  s[5] = (s[5]! ^ 0xff) >>> 0;
  for (let i = 0; i < d; i++) sipRound();
  s[0] = (s[0]! ^ s[2]! ^ s[4]! ^ s[6]!) >>> 0;
  s[1] = (s[1]! ^ s[3]! ^ s[5]! ^ s[7]!) >>> 0;
}

function le32(data: Uint8Array, i: number): number {
  return (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
}

/** SipHash-c-d of `data` under `key`, as an unsigned 64-bit bigint (tests and tools; allocates). */
export function siphash(data: Uint8Array, key: SipKey, c = 2, d = 4): bigint {
  init(key);
  const whole = data.length - (data.length % 8);
  for (let i = 0; i < whole; i += 8) compress(le32(data, i + 4), le32(data, i), c);
  let hi = ((data.length & 0xff) << 24) >>> 0;
  let lo = 0;
  for (let i = whole; i < data.length; i++) {
    const shift = (i - whole) * 8;
    if (shift < 32) lo = (lo | (data[i]! << shift)) >>> 0;
    else hi = (hi | (data[i]! << (shift - 32))) >>> 0;
  }
  compress(hi, lo, c);
  finish(d);
  return (BigInt(s[0]!) << 32n) | BigInt(s[1]!);
}

/**
 * Kernel `hsiphash(&v, sizeof(u32), key)` on a little-endian 64-bit machine: SipHash-1-3 of the four bytes of
 * `v` (little-endian), low 32 bits of the result. No allocation.
 */
export function hsiphash32(v: number, key: SipKey): number {
  init(key);
  compress(0x04000000, v >>> 0, 1);
  finish(3);
  return s[1]!;
}
