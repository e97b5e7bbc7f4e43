import { type Decoded, decodeFail, type Encoded, encodeFail } from './codec-result.ts';
import { decodeBase64Strict, encodeBase64, FT_BINARY, FT_STRING, isValidFieldName } from './field-syntax.ts';
import { byteStringToBytes, bytesToByteString, type Field, isByteString, type Message } from './message.ts';

/**
 * The classic text form (heartbeat 0.4.8 `ha_msg.c`; later heartbeat's `msg2string`):
 *
 *   >>>\n
 *   name=value\n          one line per field, in order; the first `=` splits name from value
 *   (1)name=base64\n      a binary field (later heartbeat; 0.4.8 had strings only)
 *   <<<\n
 *
 * Escaping, as later heartbeat's `str2string`/`string2str`: a newline inside a string value travels as the
 * byte 0x13 and is turned back on receipt. 0.4.8 had no escaping at all. Values holding CR, NUL or 0x13
 * cannot be carried and are refused when encoding.
 *
 * Size: 0.4.8 refuses to build a message whose string, counting its terminating NUL, reaches MAXMSG (1400),
 * so the longest message is 1398 bytes. Receivers accept one trailing NUL (3.x sends strlen+1 bytes).
 */

export const CLASSIC_START = '>>>\n';
export const CLASSIC_END = '<<<\n';
export const CLASSIC_MAXMSG = 1400;
export const CLASSIC_MAX_BYTES = CLASSIC_MAXMSG - 2;

const NL_SYM = '\x13';

/** CR ends a line for 0.4.8, NUL ends a C string, 0x13 would come back as a newline. */
function hasUncarriable(v: string): boolean {
  return v.includes('\r') || v.includes('\0') || v.includes(NL_SYM);
}

/** One field as a classic line (`[(1)]name=value\n`), or why it cannot be one. */
type LineResult =
  | { ok: true; line: string }
  | { ok: false; reason: 'bad-name' | 'bad-value'; detail: string };
type BodyResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'bad-name' | 'bad-value'; detail: string };

export function classicLine(f: Field): LineResult {
  if (!isValidFieldName(f.name)) {
    return { ok: false, reason: 'bad-name', detail: `field name ${JSON.stringify(f.name)}` };
  }
  if (f.type === 'binary') return { ok: true, line: `(${FT_BINARY})${f.name}=${encodeBase64(f.value)}\n` };
  if (!isByteString(f.value) || hasUncarriable(f.value)) {
    const detail = `value of ${f.name} holds a character the classic form cannot carry`;
    return { ok: false, reason: 'bad-value', detail };
  }
  return { ok: true, line: `${f.name}=${f.value.replaceAll('\n', NL_SYM)}\n` };
}

/** The field lines of `m` without start/end markers, skipping fields named in `skip` (heartbeat's NOHEAD). */
export function classicBody(m: Message, skip?: string): BodyResult {
  let text = '';
  for (const f of m.fields) {
    if (f.name === skip) continue;
    const l = classicLine(f);
    if (!l.ok) return l;
    text += l.line;
  }
  return { ok: true, text };
}

export function encodeClassic(m: Message, maxBytes = CLASSIC_MAX_BYTES): Encoded {
  if (m.fields.length === 0) return encodeFail('no-fields', 'a message needs at least one field');
  const body = classicBody(m);
  if (!body.ok) return encodeFail(body.reason, body.detail);
  const text = CLASSIC_START + body.text + CLASSIC_END;
  if (text.length > maxBytes) return encodeFail('too-large', `${text.length} bytes > ${maxBytes}`);
  return { ok: true, bytes: byteStringToBytes(text) };
}

export function decodeClassic(bytes: Uint8Array, maxBytes = CLASSIC_MAX_BYTES): Decoded<Message> {
  const n = bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.length - 1 : bytes.length;
  if (n === 0) return decodeFail('empty', 0, 'no bytes');
  if (n > maxBytes) return decodeFail('too-large', maxBytes, `${n} bytes > ${maxBytes}`);
  const nul = bytes.subarray(0, n).indexOf(0);
  if (nul >= 0) return decodeFail('nul-byte', nul, 'NUL byte inside the message');
  const text = bytesToByteString(bytes.subarray(0, n));
  if (!text.startsWith(CLASSIC_START)) return decodeFail('no-start', 0, 'does not start with >>>');
  return decodeLines(text, CLASSIC_START.length);
}

function decodeLines(text: string, start: number): Decoded<Message> {
  const fields: Field[] = [];
  let pos = start;
  for (;;) {
    while (text[pos] === '\n' || text[pos] === '\r') pos++; // 0.4.8 skips stray CR/NL between lines
    if (text.startsWith(CLASSIC_END, pos)) break;
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return decodeFail('no-end', pos, 'no <<< line');
    const line = text.slice(pos, text[nl - 1] === '\r' ? nl - 1 : nl);
    const f = parseLine(line, pos);
    if (!f.ok) return f;
    fields.push(f.value);
    pos = nl + 1;
  }
  const end = pos + CLASSIC_END.length;
  if (end !== text.length) return decodeFail('trailing-data', end, 'bytes after <<<');
  if (fields.length === 0) return decodeFail('no-fields', pos, 'message has no fields');
  return { ok: true, value: { fields } };
}

function parseLine(line: string, offset: number): Decoded<Field> {
  const typed = /^\(([0-9])\)/.exec(line);
  const type = typed ? Number(typed[1]) : FT_STRING;
  const nameStart = typed ? 3 : 0;
  const eq = line.indexOf('=', nameStart);
  if (eq < 0) return decodeFail('no-equals', offset, 'line without =');
  const name = line.slice(nameStart, eq);
  if (name.length === 0) return decodeFail('empty-name', offset, 'line starts with =');
  if (!isValidFieldName(name)) return decodeFail('bad-name', offset, `field name ${JSON.stringify(name)}`);
  const raw = line.slice(eq + 1);
  if (type === FT_STRING) {
    if (raw.includes('\r')) return decodeFail('bad-value', offset, `CR inside the value of ${name}`);
    return { ok: true, value: { name, type: 'string', value: raw.replaceAll(NL_SYM, '\n') } };
  }
  if (type !== FT_BINARY) return decodeFail('bad-type', offset, `field type ${type} is not supported`);
  const value = decodeBase64Strict(raw);
  if (value === undefined) return decodeFail('bad-base64', offset + eq + 1, `field ${name} is not base64`);
  return { ok: true, value: { name, type: 'binary', value } };
}
