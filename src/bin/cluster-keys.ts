import { readFileSync, statSync } from 'node:fs';
import type { AuthKeys, AuthMethod } from '../cluster/auth.ts';
import {
  authkeysError,
  authkeysModeError,
  checkAuthkeysMode,
  parseAuthkeys,
} from '../cluster/authkeys-file.ts';
import type { AuthPlan } from '../config/cluster-plan.ts';
import { WebfarmError } from '../model/errors.ts';

/** What reading the key files needs; injectable for tests. */
export interface KeyFs {
  readText(path: string): string;
  mode(path: string): number;
}

export const nodeKeyFs: KeyFs = {
  readText: (p) => readFileSync(p, 'utf8'),
  mode: (p) => statSync(p).mode,
};

/** The single key id a native `key` / `key_file` signs and accepts (heartbeat's `auth 1`). */
export const NATIVE_KEY_ID = 1;

/**
 * The keys the heartbeat node signs and checks with, from the plan's auth (docs/config.md `auth`), read at
 * start: an inline key, a key file (surrounding whitespace trimmed), or a heartbeat authkeys file (every id
 * accepted, `auth N` signs). Files must not be accessible to group or others, as `webfarm check` already
 * verified — checked again here because the file may have changed since. WF_ERR_CLUSTER_KEY (unreadable or
 * empty key file), WF_ERR_CLUSTER_AUTHKEYS(_MODE) (authkeys file).
 */
export function loadClusterKeys(auth: AuthPlan, fs: KeyFs = nodeKeyFs): AuthKeys {
  switch (auth.kind) {
    case 'crc':
      return single('crc', '');
    case 'key':
      return single(auth.method, auth.key);
    case 'key_file': {
      const key = readSecret(auth.path, fs).trim();
      if (key === '') throw new WebfarmError('WF_ERR_CLUSTER_KEY', `${auth.path}: the key file is empty`);
      return single(auth.method, key);
    }
    case 'authkeys_file': {
      const text = readSecret(auth.path, fs);
      const parsed = parseAuthkeys(text);
      if (!parsed.ok) throw authkeysError(auth.path, parsed.issues);
      return parsed.keys;
    }
  }
}

function single(method: AuthMethod, key: string): AuthKeys {
  return { sendId: NATIVE_KEY_ID, keys: new Map([[NATIVE_KEY_ID, { id: NATIVE_KEY_ID, method, key }]]) };
}

function readSecret(path: string, fs: KeyFs): string {
  let mode: number;
  let text: string;
  try {
    mode = fs.mode(path);
    text = fs.readText(path);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new WebfarmError('WF_ERR_CLUSTER_KEY', `${path}: cannot read the key file (${why})`, { cause });
  }
  const m = checkAuthkeysMode(mode);
  if (!m.ok) throw authkeysModeError(path, m.message);
  return text;
}
