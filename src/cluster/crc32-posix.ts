/**
 * Heartbeat's `crc` auth method (HBauth plugin crc.c): CRC-32 with polynomial 0x04C11DB7, processed MSB
 * first, initial value 0, no reflection, result complemented — the CRC of POSIX `cksum` without the length
 * suffix (catalogue name CRC-32/POSIX; check value for "123456789" is 0x765e7680). Heartbeat prints it with
 * `%lx`: lowercase hex, no leading zeros.
 */

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
}

export function crc32Posix(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return ~crc >>> 0;
}
