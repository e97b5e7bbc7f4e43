import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { WebfarmError } from '../model/errors.ts';

/** Shortest bearer token accepted (characters after trimming surrounding whitespace). */
export const MIN_TOKEN_LENGTH = 16;

/**
 * The admin TCP listener's bearer token, from a file: a regular file with no group or other permission
 * bits (0600 or 0400), holding one token of at least MIN_TOKEN_LENGTH characters (surrounding whitespace,
 * e.g. the trailing newline, is ignored). Anything else refuses to start (WF_ERR_ADMIN_TOKEN).
 */
export async function readTokenFile(path: string): Promise<string> {
  const bad = (why: string) => new WebfarmError('WF_ERR_ADMIN_TOKEN', `admin token file ${path}: ${why}`);
  let mode: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw bad('not a regular file');
    mode = st.mode & 0o777;
  } catch (e) {
    if (e instanceof WebfarmError) throw e;
    throw bad((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  if ((mode & 0o077) !== 0) {
    throw bad(`mode ${mode.toString(8).padStart(4, '0')} lets group or others read it; chmod 600 it`);
  }
  const token = (await readFile(path, 'utf8')).trim();
  if (token.length < MIN_TOKEN_LENGTH) throw bad(`token shorter than ${MIN_TOKEN_LENGTH} characters`);
  if (/\s/.test(token)) throw bad('token contains whitespace');
  return token;
}

/**
 * Does an Authorization header carry the token? Compares SHA-256 digests with timingSafeEqual, so the
 * time taken depends neither on where the first difference is nor on the presented token's length.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const given = m ? (m[1] as string) : '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && m !== null;
}
