/**
 * Hashes the IPVS hashing schedulers share (sh, dh, lblc, lblcr, mh), as in the current Linux kernel.
 * Pure and allocation-free: addresses are parsed from their canonical text on every call.
 */

/** include/linux/hash.h GOLDEN_RATIO_32. */
export const GOLDEN_RATIO_32 = 0x61c88647;

/** Kernel `hash_32(val, bits)`: multiply by GOLDEN_RATIO_32 modulo 2^32, keep the top `bits` bits. */
export function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, GOLDEN_RATIO_32) >>> (32 - bits);
}

const groups = new Uint16Array(8);

/**
 * The address as the kernel hashes it: `ntohl(addr_fold)`, where an IPv4 address is its 32-bit value and an
 * IPv6 address is the XOR of its four 32-bit words (byte order commutes with XOR). Returns 0 for text that
 * is not an address (the schedulers never see such flows).
 */
export function foldAddress(text: string): number {
  return text.includes(':') ? foldIPv6(text) : parseIPv4(text, 0, text.length);
}

function parseIPv4(text: string, from: number, to: number): number {
  let value = 0;
  let octet = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      value = ((value << 8) | octet) >>> 0;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return ((value << 8) | octet) >>> 0;
}

function foldIPv6(text: string): number {
  const end = zoneStart(text);
  const filled = parseGroups(text, end);
  if (filled < 0) return 0;
  let fold = 0;
  for (let w = 0; w < 4; w++) fold ^= (groups[2 * w]! << 16) | groups[2 * w + 1]!;
  return fold >>> 0;
}

function zoneStart(text: string): number {
  const z = text.indexOf('%');
  return z < 0 ? text.length : z;
}

/** Fill `groups` from IPv6 text (with "::" and a trailing dotted quad). Returns 8, or -1 on bad text. */
function parseGroups(text: string, end: number): number {
  groups.fill(0);
  const gap = text.indexOf('::');
  if (gap < 0 || gap >= end) return parseRun(text, 0, end, 0) === 8 ? 8 : -1;
  const head = parseRun(text, 0, gap, 0);
  const tailStart = gap + 2;
  const tailCount = countGroups(text, tailStart, end);
  if (head < 0 || tailCount < 0 || head + tailCount > 7) return -1;
  return parseRun(text, tailStart, end, 8 - tailCount) < 0 ? -1 : 8;
}

function countGroups(text: string, from: number, to: number): number {
  if (from >= to) return 0;
  let n = 1;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 58) n++;
  return text.lastIndexOf('.', to - 1) >= from ? n + 1 : n;
}

/** Parse colon-separated groups of text[from, to) into groups[at...]. Returns the index after the last. */
function parseRun(text: string, from: number, to: number, at: number): number {
  if (from >= to) return at;
  let g = at;
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== 58) continue;
    if (g >= 8) return -1;
    if (text.lastIndexOf('.', i - 1) >= start) {
      const v4 = parseIPv4(text, start, i);
      groups[g++] = v4 >>> 16;
      if (g >= 8) return -1;
      groups[g++] = v4 & 0xffff;
    } else groups[g++] = parseInt16(text, start, i);
    start = i + 1;
  }
  return g;
}

function parseInt16(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) | 0x20;
    v = (v << 4) | (c <= 57 ? c - 48 : c - 87);
  }
  return v & 0xffff;
}
