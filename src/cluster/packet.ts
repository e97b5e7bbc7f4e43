import { type AuthCheck, type AuthKeys, authToken, signClassic, verifyClassic, verifyToken } from './auth.ts';
import { CLASSIC_START, decodeClassic, encodeClassic } from './classic-codec.ts';
import { type Decoded, decodeFail, type Encoded, encodeFail } from './codec-result.ts';
import { F } from './message-fields.ts';
import { type Message, withoutField } from './message.ts';
import { decodeNetstring, encodeNetstring, encodeNetstringBody, NETSTRING_START } from './netstring-codec.ts';

/**
 * A packet off a medium, in either wire format, with what authentication needs. The format is told by the
 * first four bytes (`>>>\n` or `###\n`), as heartbeat's `wirefmt2msg` does.
 */

export type WireFormat = 'classic' | 'netstring';

export type Packet =
  | { readonly format: 'classic'; readonly message: Message }
  | {
      readonly format: 'netstring';
      readonly message: Message;
      readonly signed: Uint8Array;
      readonly authToken: string | undefined;
    };

export function decodePacket(bytes: Uint8Array): Decoded<Packet> {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4)).toString('latin1');
  if (head === CLASSIC_START) {
    const r = decodeClassic(bytes);
    return r.ok ? { ok: true, value: { format: 'classic', message: r.value } } : r;
  }
  if (head === NETSTRING_START) {
    const r = decodeNetstring(bytes);
    return r.ok ? { ok: true, value: { format: 'netstring', ...r.value } } : r;
  }
  return bytes.length === 0
    ? decodeFail('empty', 0, 'no bytes')
    : decodeFail('no-start', 0, 'unknown format');
}

/** Authenticate a decoded packet with any of `keys` (classic: the `auth` field; netstring: the trailer). */
export function verifyPacket(p: Packet, keys: AuthKeys): AuthCheck {
  if (p.format === 'classic') return verifyClassic(p.message, keys);
  return verifyToken(p.authToken, p.signed, keys);
}

/**
 * Sign with `keys.sendId` and encode. Netstring packets carry both tokens as heartbeat 3.0.6 sends them: the
 * classic `auth` field inside (set or replaced) and the trailer over the bytes that include it.
 */
export function sealPacket(m: Message, format: WireFormat, keys: AuthKeys): Encoded {
  const key = keys.keys.get(keys.sendId);
  if (key === undefined) return encodeFail('bad-value', `no key with the send id ${keys.sendId}`);
  const signed = signClassic(m, keys);
  if (format === 'classic') {
    return signed === undefined
      ? encodeFail('bad-value', 'a field the classic form cannot carry')
      : encodeClassic(signed);
  }
  // Like heartbeat for messages it cannot write classically: no inner auth field, the trailer alone.
  const inner = signed ?? withoutField(m, F.auth);
  const body = encodeNetstringBody(inner);
  return body.ok ? encodeNetstring(inner, authToken(key, body.bytes)) : body;
}
