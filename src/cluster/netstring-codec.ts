import { type Decoded, decodeFail, type Encoded, encodeFail } from './codec-result.ts';
import { FT_BINARY, FT_STRING, isValidFieldName } from './field-syntax.ts';
import { byteStringToBytes, bytesToByteString, type Field, isByteString, type Message } from './message.ts';

/**
 * The netstring form heartbeat 2.x/3.0.x sends (cluster-glue `cl_netstring.c`, `cl_msg_types.c`):
 *
 *   ###\n
 *   LEN:(T)name=value,    one netstring per field; T is 0 (string) or 1 (binary, raw bytes);
 *                         LEN = 3 + len(name) + 1 + len(value), in decimal bytes
 *   %%%\n
 *   LEN:ID DIGEST,        the authentication netstring: key id and digest of every byte from ### to %%%\n
 *
 * Values are raw: no escaping in either type. String values may not hold NUL (heartbeat checks
 * `vallen == strlen(value)`). Decoding is stricter than heartbeat's `peel_netstring` (no leading zeros, no
 * junk between length and colon, nothing after the auth netstring) so that every accepted packet re-encodes
 * to the same bytes. Field types 2–5 (nested messages, lists, compression) are refused.
 */

export const NETSTRING_START = '###\n';
export const NETSTRING_END = '%%%\n';
/** Largest packet accepted or built: one UDP datagram. */
export const NETSTRING_MAX_BYTES = 65_507;

/** The bytes heartbeat authenticates (`###\n` … `%%%\n`) and the text of the auth netstring, if any. */
export interface NetstringPacket {
  readonly message: Message;
  readonly signed: Uint8Array;
  readonly authToken: string | undefined;
}

/** `###\n` + field netstrings + `%%%\n`: the signed part, without the auth netstring. */
export function encodeNetstringBody(m: Message): Encoded {
  if (m.fields.length === 0) return encodeFail('no-fields', 'a message needs at least one field');
  let text = NETSTRING_START;
  for (const f of m.fields) {
    if (!isValidFieldName(f.name)) return encodeFail('bad-name', `field name ${JSON.stringify(f.name)}`);
    const r = fieldNetstring(f);
    if (r === undefined)
      return encodeFail('bad-value', `value of ${f.name} holds NUL or a non-byte character`);
    text += r;
  }
  text += NETSTRING_END;
  if (text.length > NETSTRING_MAX_BYTES) return encodeFail('too-large', `${text.length} bytes`);
  return { ok: true, bytes: byteStringToBytes(text) };
}

/** The whole packet: body, then (when given) the auth netstring carrying `authToken` (`"<id> <digest>"`). */
export function encodeNetstring(m: Message, authToken?: string): Encoded {
  const body = encodeNetstringBody(m);
  if (!body.ok || authToken === undefined) return body;
  if (!isByteString(authToken)) return encodeFail('bad-value', 'auth token holds a non-byte character');
  const trailer = byteStringToBytes(netstring(authToken));
  const bytes = new Uint8Array(body.bytes.length + trailer.length);
  bytes.set(body.bytes, 0);
  bytes.set(trailer, body.bytes.length);
  if (bytes.length > NETSTRING_MAX_BYTES) return encodeFail('too-large', `${bytes.length} bytes`);
  return { ok: true, bytes };
}

function fieldNetstring(f: Field): string | undefined {
  if (f.type === 'binary') return netstring(`(${FT_BINARY})${f.name}=${bytesToByteString(f.value)}`);
  if (!isByteString(f.value) || f.value.includes('\0')) return undefined;
  return netstring(`(${FT_STRING})${f.name}=${f.value}`);
}

function netstring(body: string): string {
  return `${body.length}:${body},`;
}

export function decodeNetstring(bytes: Uint8Array): Decoded<NetstringPacket> {
  if (bytes.length === 0) return decodeFail('empty', 0, 'no bytes');
  if (bytes.length > NETSTRING_MAX_BYTES)
    return decodeFail('too-large', NETSTRING_MAX_BYTES, `${bytes.length} bytes`);
  const text = bytesToByteString(bytes);
  if (!text.startsWith(NETSTRING_START)) return decodeFail('no-start', 0, 'does not start with ###');
  const fields: Field[] = [];
  let pos = NETSTRING_START.length;
  while (!text.startsWith(NETSTRING_END, pos)) {
    if (pos >= text.length) return decodeFail('no-end', pos, 'no %%% line');
    const ns = peel(text, pos);
    if (!ns.ok) return ns;
    const f = parseField(ns.value.body, pos);
    if (!f.ok) return f;
    fields.push(f.value);
    pos = ns.value.next;
  }
  if (fields.length === 0) return decodeFail('no-fields', pos, 'message has no fields');
  const signedEnd = pos + NETSTRING_END.length;
  const signed = bytes.subarray(0, signedEnd);
  if (signedEnd === text.length)
    return { ok: true, value: { message: { fields }, signed, authToken: undefined } };
  const auth = peel(text, signedEnd);
  if (!auth.ok) return auth;
  if (auth.value.next !== text.length)
    return decodeFail('trailing-data', auth.value.next, 'bytes after auth');
  return { ok: true, value: { message: { fields }, signed, authToken: auth.value.body } };
}

const LEN_RE = /^(0|[1-9][0-9]{0,5}):/;

/** One netstring at `pos`: its body and the offset just past its comma. */
function peel(text: string, pos: number): Decoded<{ body: string; next: number }> {
  const m = LEN_RE.exec(text.slice(pos, pos + 8));
  if (!m) return decodeFail('bad-netstring', pos, 'expected LEN:');
  const start = pos + m[0].length;
  const end = start + Number(m[1]);
  if (end >= text.length) return decodeFail('bad-netstring', pos, 'netstring runs past the end');
  if (text[end] !== ',') return decodeFail('bad-netstring', end, 'netstring not followed by a comma');
  return { ok: true, value: { body: text.slice(start, end), next: end + 1 } };
}

function parseField(body: string, offset: number): Decoded<Field> {
  const typed = /^\(([0-9])\)/.exec(body);
  if (!typed) return decodeFail('bad-type', offset, 'field without (type)');
  const type = Number(typed[1]);
  const eq = body.indexOf('=', 3);
  if (eq < 0) return decodeFail('no-equals', offset, 'field without =');
  const name = body.slice(3, eq);
  if (name.length === 0) return decodeFail('empty-name', offset, 'field without a name');
  if (!isValidFieldName(name)) return decodeFail('bad-name', offset, `field name ${JSON.stringify(name)}`);
  const raw = body.slice(eq + 1);
  if (type === FT_BINARY) return { ok: true, value: { name, type: 'binary', value: byteStringToBytes(raw) } };
  if (type !== FT_STRING) return decodeFail('bad-type', offset, `field type ${type} is not supported`);
  if (raw.includes('\0')) return decodeFail('nul-byte', offset, `NUL inside the string value of ${name}`);
  return { ok: true, value: { name, type: 'string', value: raw } };
}
