import { createHmac, timingSafeEqual } from 'node:crypto';
import { classicBody } from './classic-codec.ts';
import { crc32Posix } from './crc32-posix.ts';
import { F } from './message-fields.ts';
import { byteStringToBytes, getString, type Message, withField } from './message.ts';

/**
 * Message authentication as heartbeat computes it (seed-system.md §2.5; HBauth plugins crc.c, md5.c,
 * sha1.c; verified against heartbeat 3.0.6's captured packets, test/fixtures/heartbeat/):
 *
 * - crc:    CRC-32/POSIX of the input, `%lx` (no key).
 * - md5:    HMAC-MD5 (RFC 2104) keyed with the key's bytes, 32 lowercase hex digits.
 * - sha1:   HMAC-SHA1, 40 lowercase hex digits.
 * - sha256: HMAC-SHA256, 64 lowercase hex digits — webfarm's own method (heartbeat has none), the default
 *           for native configs.
 *
 * An auth token is `"<key id> <digest>"`. What is digested depends on the format (docs/cluster-protocol.md):
 * - classic: every field except `auth`, each as its classic line `name=value\n` (`(1)name=base64\n` for
 *   binary), no `>>>`/`<<<` (heartbeat's `msg2string_buf(NOHEAD)`); the token goes into the `auth` field.
 * - netstring: every byte from `###\n` through `%%%\n`; the token travels in the trailing netstring.
 *   Heartbeat 3.0.6 also puts a classic-style `auth` field inside the message (it signs the classic
 *   form before choosing the wire form) but checks only the trailing token on receipt; so do we.
 */

export const AUTH_METHODS = ['crc', 'md5', 'sha1', 'sha256'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** heartbeat's MAXAUTH: key ids are 0..15. */
export const MAX_AUTH_ID = 15;

export interface AuthKey {
  readonly id: number;
  readonly method: AuthMethod;
  /** The secret (UTF-8 text, as written in authkeys); empty for crc. */
  readonly key: string;
}

/** The keys a node knows: every id is accepted on receipt; `sendId` signs what we send. */
export interface AuthKeys {
  readonly sendId: number;
  readonly keys: ReadonlyMap<number, AuthKey>;
}

export function methodNeedsKey(method: AuthMethod): boolean {
  return method !== 'crc';
}

export function computeDigest(method: AuthMethod, key: string, data: Uint8Array): string {
  if (method === 'crc') return crc32Posix(data).toString(16);
  // Keys longer than the 64-byte block are hashed first, by node:crypto as by heartbeat (RFC 2104 §2).
  return createHmac(method, Buffer.from(key, 'utf8')).update(data).digest('hex');
}

export function authToken(key: AuthKey, data: Uint8Array): string {
  return `${key.id} ${computeDigest(key.method, key.key, data)}`;
}

/** What the classic form digests; undefined when a field cannot be written in the classic form. */
export function classicDigestInput(m: Message): Uint8Array | undefined {
  const body = classicBody(m, F.auth);
  return body.ok ? byteStringToBytes(body.text) : undefined;
}

/** `add_msg_auth`: set `auth` (in place, or appended) to the token over the classic digest input. */
export function signClassic(m: Message, keys: AuthKeys): Message | undefined {
  const key = keys.keys.get(keys.sendId);
  const input = classicDigestInput(m);
  if (key === undefined || input === undefined) return undefined;
  return withField(m, F.auth, authToken(key, input));
}

export type AuthReject = 'unauthenticated' | 'bad-auth-format' | 'unknown-key' | 'bad-digest';

export type AuthCheck =
  | { readonly ok: true; readonly keyId: number }
  | { readonly ok: false; readonly reason: AuthReject };

const TOKEN_RE = /^([0-9]{1,2}) ([0-9a-f]{1,64})$/;

/** Check a token (`"<id> <digest>"`) against `data`: the id must be known and the digest equal, exactly. */
export function verifyToken(
  token: string | undefined,
  data: Uint8Array | undefined,
  keys: AuthKeys,
): AuthCheck {
  if (token === undefined) return { ok: false, reason: 'unauthenticated' };
  const m = TOKEN_RE.exec(token);
  if (!m || data === undefined) return { ok: false, reason: 'bad-auth-format' };
  const id = Number(m[1]);
  const key = keys.keys.get(id);
  if (key === undefined) return { ok: false, reason: 'unknown-key' };
  const want = Buffer.from(computeDigest(key.method, key.key, data), 'latin1');
  const got = Buffer.from(m[2]!, 'latin1');
  const same = want.length === got.length && timingSafeEqual(want, got);
  return same ? { ok: true, keyId: id } : { ok: false, reason: 'bad-digest' };
}

/** Classic form: the token is the `auth` field, over every other field. */
export function verifyClassic(m: Message, keys: AuthKeys): AuthCheck {
  return verifyToken(getString(m, F.auth), classicDigestInput(m), keys);
}
