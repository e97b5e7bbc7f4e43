import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthPlan } from '../config/cluster-plan.ts';
import { isWebfarmError } from '../model/errors.ts';
import { type KeyFs, loadClusterKeys } from './cluster-keys.ts';

function fs(files: Record<string, { text: string; mode: number }>): KeyFs {
  const get = (p: string) => {
    const f = files[p];
    if (f === undefined) throw new Error(`ENOENT: ${p}`);
    return f;
  };
  return { readText: (p) => get(p).text, mode: (p) => get(p).mode };
}

const FILES = fs({
  '/k': { text: '  s3cret-key \n', mode: 0o100600 },
  '/open': { text: 's3cret', mode: 0o100644 },
  '/empty': { text: ' \n', mode: 0o100600 },
  '/authkeys': { text: 'auth 2\n1 crc\n2 sha1 abc\n', mode: 0o100600 },
  '/bad-authkeys': { text: 'auth 3\n1 crc\n', mode: 0o100600 },
});

test('keys from each auth kind: id 1 for native keys, every id of an authkeys file', () => {
  const cases: [AuthPlan, number, [number, string, string][]][] = [
    [{ kind: 'crc' }, 1, [[1, 'crc', '']]],
    [{ kind: 'key', method: 'sha256', key: 'k' }, 1, [[1, 'sha256', 'k']]],
    [{ kind: 'key_file', method: 'md5', path: '/k' }, 1, [[1, 'md5', 's3cret-key']]],
    [
      { kind: 'authkeys_file', path: '/authkeys' },
      2,
      [
        [1, 'crc', ''],
        [2, 'sha1', 'abc'],
      ],
    ],
  ];
  for (const [auth, sendId, keys] of cases) {
    const k = loadClusterKeys(auth, FILES);
    assert.equal(k.sendId, sendId, auth.kind);
    assert.deepEqual(
      [...k.keys.values()].map((v) => [v.id, v.method, v.key]),
      keys,
      auth.kind,
    );
  }
});

test('unreadable, empty, open-mode and malformed key files are errors naming the file', () => {
  const cases: [AuthPlan, string, RegExp][] = [
    [
      { kind: 'key_file', method: 'sha256', path: '/missing' },
      'WF_ERR_CLUSTER_KEY',
      /\/missing: cannot read/,
    ],
    [
      { kind: 'key_file', method: 'sha256', path: '/empty' },
      'WF_ERR_CLUSTER_KEY',
      /\/empty: the key file is empty/,
    ],
    [
      { kind: 'key_file', method: 'sha256', path: '/open' },
      'WF_ERR_CLUSTER_AUTHKEYS_MODE',
      /\/open: mode 644/,
    ],
    [{ kind: 'authkeys_file', path: '/bad-authkeys' }, 'WF_ERR_CLUSTER_AUTHKEYS', /\/bad-authkeys:1: auth 3/],
  ];
  for (const [auth, code, message] of cases) {
    assert.throws(
      () => loadClusterKeys(auth, FILES),
      (e) => isWebfarmError(e) && e.code === code && message.test(e.message),
      JSON.stringify(auth),
    );
  }
});
