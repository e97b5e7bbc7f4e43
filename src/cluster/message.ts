/**
 * The heartbeat message model: an ordered list of (name, value, type) fields, as heartbeat's `struct ha_msg`
 * (seed-system.md §2.2). Order matters: it is the wire order and the digest order (auth.ts).
 *
 * String values are byte strings: every character is one byte (code 0..255, latin1), so any packet decodes
 * and re-encodes byte-identically. Node names and the standard fields are ASCII in practice.
 * Binary values (heartbeat field type 1, e.g. `srcuuid`) are raw bytes.
 *
 * Lookups follow `ha_msg_value`: the first field with the name wins. `withField` follows `ha_msg_mod`:
 * it replaces the first field with the name in place, or appends a new field at the end.
 */

export type Field =
  | { readonly name: string; readonly type: 'string'; readonly value: string }
  | { readonly name: string; readonly type: 'binary'; readonly value: Uint8Array };

export interface Message {
  readonly fields: readonly Field[];
}

/** A message from (name, value) pairs; string values become string fields, byte arrays binary fields. */
export function message(pairs: readonly (readonly [string, string | Uint8Array])[]): Message {
  return { fields: pairs.map(([name, value]) => fieldOf(name, value)) };
}

export function fieldOf(name: string, value: string | Uint8Array): Field {
  return typeof value === 'string' ? { name, type: 'string', value } : { name, type: 'binary', value };
}

/** The first field called `name`, as `ha_msg_value` finds it. */
export function getField(m: Message, name: string): Field | undefined {
  return m.fields.find((f) => f.name === name);
}

/** The first field called `name` if it is a string field. */
export function getString(m: Message, name: string): string | undefined {
  const f = getField(m, name);
  return f?.type === 'string' ? f.value : undefined;
}

/** The first field called `name` if it is a binary field. */
export function getBinary(m: Message, name: string): Uint8Array | undefined {
  const f = getField(m, name);
  return f?.type === 'binary' ? f.value : undefined;
}

/** `ha_msg_mod`: replace the first field called `name` in place, or append it. Returns a new message. */
export function withField(m: Message, name: string, value: string | Uint8Array): Message {
  const i = m.fields.findIndex((f) => f.name === name);
  const f = fieldOf(name, value);
  if (i < 0) return { fields: [...m.fields, f] };
  const fields = m.fields.slice();
  fields[i] = f;
  return { fields };
}

/** Every field except those called `name`. */
export function withoutField(m: Message, name: string): Message {
  return { fields: m.fields.filter((f) => f.name !== name) };
}

/** Structural equality (names, types, value bytes, order). */
export function messagesEqual(a: Message, b: Message): boolean {
  if (a.fields.length !== b.fields.length) return false;
  return a.fields.every((f, i) => fieldsEqual(f, b.fields[i]));
}

function fieldsEqual(a: Field, b: Field | undefined): boolean {
  if (b === undefined || a.name !== b.name || a.type !== b.type) return false;
  if (a.type === 'string') return a.value === b.value;
  return Buffer.from(a.value).equals(b.value as Uint8Array);
}

/** Byte-string helpers: one character per byte, both ways. */
export function bytesToByteString(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

export function byteStringToBytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

/** True when every character of `s` is a single byte (code ≤ 0xff), i.e. `s` is a valid byte string. */
export function isByteString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}
