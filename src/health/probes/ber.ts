/**
 * The slice of BER (X.690) that an LDAP simple bind needs: definite-length TLVs with one-byte tags,
 * INTEGER / ENUMERATED and OCTET STRING. Pure; decoding never reads past the buffer it is given.
 */
export interface Tlv {
  readonly tag: number;
  readonly content: Buffer;
}

/** Tags used by LDAP (RFC 4511 §4.1–§4.3, §5.1). */
export const BER = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  ENUMERATED: 0x0a,
  SEQUENCE: 0x30,
} as const;

export function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

/** A non-negative INTEGER (or ENUMERATED with `tag`), minimal two's complement. */
export function integer(n: number, tag: number = BER.INTEGER): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

export function octetString(s: string | Buffer, tag: number = BER.OCTET_STRING): Buffer {
  return tlv(tag, typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
}

/**
 * The header of the TLV at the start of `buf`: its tag, header size and content length — or undefined when
 * `buf` does not yet hold the whole header. Throws on forms LDAP never uses (indefinite length, multi-byte
 * tags, lengths over 4 bytes).
 */
export function readHeader(buf: Buffer): { tag: number; headerLength: number; length: number } | undefined {
  if (buf.length < 2) return undefined;
  const tag = buf[0]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('BER: multi-byte tags are not used by LDAP');
  const first = buf[1]!;
  if (first < 0x80) return { tag, headerLength: 2, length: first };
  const count = first & 0x7f;
  if (count === 0) throw new Error('BER: indefinite length is not allowed in LDAP');
  if (count > 4) throw new Error(`BER: ${count}-byte length`);
  if (buf.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + buf[2 + i]!;
  return { tag, headerLength: 2 + count, length };
}

/** The TLVs laid end to end in `buf` (the content of a constructed value). */
export function children(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  let rest = buf;
  while (rest.length > 0) {
    const h = readHeader(rest);
    if (!h || rest.length < h.headerLength + h.length) throw new Error('BER: truncated value');
    out.push({ tag: h.tag, content: rest.subarray(h.headerLength, h.headerLength + h.length) });
    rest = rest.subarray(h.headerLength + h.length);
  }
  return out;
}

/** An INTEGER / ENUMERATED content as a number (two's complement, up to 6 bytes). */
export function decodeInteger(content: Buffer): number {
  if (content.length === 0 || content.length > 6) throw new Error(`BER: ${content.length}-byte integer`);
  return content.readIntBE(0, content.length);
}
