import { WebfarmError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import {
  AUTH_METHODS,
  type AuthKey,
  type AuthKeys,
  type AuthMethod,
  MAX_AUTH_ID,
  methodNeedsKey,
} from './auth.ts';

/**
 * heartbeat's `/etc/ha.d/authkeys` (seed-system.md §2.5; heartbeat auth.c `parse_authfile`):
 *
 *   # comment
 *   auth 1              the key id used to sign what we send
 *   1 crc               id 0..15, method, and for keyed methods one key (no whitespace in it)
 *   2 sha1 SECRET
 *
 * Every listed id is accepted on receipt. Stricter than heartbeat, which logs and carries on: a duplicate id,
 * a second `auth` line or text after the key (other than a `#` comment) is an error here.
 * Each error names its line (1-based); line 0 means the file as a whole.
 */

export interface AuthkeysIssue {
  readonly line: number;
  readonly message: string;
}

export type AuthkeysParse =
  | { readonly ok: true; readonly keys: AuthKeys }
  | { readonly ok: false; readonly issues: readonly AuthkeysIssue[] };

interface Acc {
  sendId?: { id: number; line: number };
  keys: Map<number, AuthKey>;
  issues: AuthkeysIssue[];
}

export function parseAuthkeys(text: string): AuthkeysParse {
  const acc: Acc = { keys: new Map(), issues: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) parseLine(acc, lines[i]!, i + 1);
  if (acc.sendId === undefined) acc.issues.push({ line: 0, message: 'missing "auth N" line' });
  else if (!acc.keys.has(acc.sendId.id)) {
    acc.issues.push({
      line: acc.sendId.line,
      message: `auth ${acc.sendId.id}: no key line with id ${acc.sendId.id}`,
    });
  }
  if (acc.issues.length > 0 || acc.sendId === undefined) return { ok: false, issues: acc.issues };
  return { ok: true, keys: { sendId: acc.sendId.id, keys: acc.keys } };
}

function parseLine(acc: Acc, raw: string, line: number): void {
  const words = uncomment(
    raw
      .trim()
      .split(/[ \t\r\f\v]+/)
      .filter((w) => w !== ''),
  );
  if (words.length === 0) return;
  const issue = words[0] === 'auth' ? parseAuthLine(acc, words, line) : parseKeyLine(acc, words);
  if (issue !== undefined) acc.issues.push({ line, message: issue });
}

/** Drop a `#` comment: a whole-line comment, or one starting at a word after the key. */
function uncomment(words: string[]): string[] {
  const hash = words.findIndex((w, i) => w.startsWith('#') && (i === 0 || i >= 2));
  return hash < 0 ? words : words.slice(0, hash);
}

function parseAuthLine(acc: Acc, words: string[], line: number): string | undefined {
  const id = parseId(words[1]);
  if (words.length !== 2 || id === undefined) return `expected "auth N" with N in 0..${MAX_AUTH_ID}`;
  if (acc.sendId !== undefined) return `second "auth" line (first on line ${acc.sendId.line})`;
  acc.sendId = { id, line };
  return undefined;
}

function parseKeyLine(acc: Acc, words: string[]): string | undefined {
  const [idWord, methodWord, key, ...rest] = words;
  const id = parseId(idWord);
  if (id === undefined) return `expected "N method [key]" with N in 0..${MAX_AUTH_ID}, got "${idWord}"`;
  if (methodWord === undefined) return `key ${id}: no method (one of ${AUTH_METHODS.join(', ')})`;
  if (!isMethod(methodWord))
    return `key ${id}: unknown method "${methodWord}" (one of ${AUTH_METHODS.join(', ')})`;
  if (rest.length > 0) return `key ${id}: unexpected text after the key`;
  if (methodNeedsKey(methodWord) && key === undefined)
    return `key ${id}: method ${methodWord} requires a key`;
  if (!methodNeedsKey(methodWord) && key !== undefined) return `key ${id}: method ${methodWord} takes no key`;
  if (acc.keys.has(id)) return `key ${id}: defined twice`;
  acc.keys.set(id, { id, method: methodWord, key: key ?? '' });
  return undefined;
}

function parseId(w: string | undefined): number | undefined {
  if (w === undefined || !/^[0-9]{1,2}$/.test(w)) return undefined;
  const n = Number(w);
  return n <= MAX_AUTH_ID ? n : undefined;
}

function isMethod(w: string): w is AuthMethod {
  return (AUTH_METHODS as readonly string[]).includes(w);
}

/**
 * The file-mode rule: refused when group or others have any access (heartbeat refuses group/other read;
 * we also refuse write, since a writable key file lets others change the keys). `mode` is `stat().mode`.
 */
export function checkAuthkeysMode(mode: number): { ok: true } | { ok: false; message: string } {
  const loose = mode & 0o077;
  if (loose === 0) return { ok: true };
  const perms = (mode & 0o777).toString(8).padStart(3, '0');
  return { ok: false, message: `mode ${perms} lets group or others access the keys; use chmod 600` };
}

/**
 * The errors as one WebfarmError, for callers that stop on them (`webfarm check`, `webfarm import`): one
 * line per issue, control characters quoted from the file escaped (printable).
 */
export function authkeysError(path: string, issues: readonly AuthkeysIssue[]): WebfarmError {
  const lines = issues.map((i) => {
    const message = printable(i.message);
    return i.line > 0 ? `${path}:${i.line}: ${message}` : `${path}: ${message}`;
  });
  return new WebfarmError('WF_ERR_CLUSTER_AUTHKEYS', lines.join('\n'));
}

export function authkeysModeError(path: string, message: string): WebfarmError {
  return new WebfarmError('WF_ERR_CLUSTER_AUTHKEYS_MODE', `${path}: ${message}`);
}
