/**
 * What a field name may be, shared by both wire formats. Heartbeat splits `name=value` at the first `=`,
 * ends lines at `\n`, and reads a leading `(digit)` as the field type, so a name is 1+ printable ASCII
 * characters other than `=` that does not itself start with `(digit)`.
 */

const NAME_RE = /^[\x21-\x3c\x3e-\x7e]+$/;
const TYPED_PREFIX_RE = /^\([0-9]\)/;

export function isValidFieldName(name: string): boolean {
  return NAME_RE.test(name) && !TYPED_PREFIX_RE.test(name);
}

/** heartbeat field type numbers (`FT_STRING`, `FT_BINARY`); 2–5 (struct, list, compressed) are not supported. */
export const FT_STRING = 0;
export const FT_BINARY = 1;

/** Strict RFC 4648 base64 with padding, as heartbeat's `binary_to_base64` writes it. */
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(s: string): Uint8Array | undefined {
  return B64_RE.test(s) ? new Uint8Array(Buffer.from(s, 'base64')) : undefined;
}

export function encodeBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}
