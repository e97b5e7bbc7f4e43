import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authkeysError, checkAuthkeysMode, parseAuthkeys } from './authkeys-file.ts';

test('authkeys: the documented example parses; every id is kept, auth picks the send key', () => {
  const r = parseAuthkeys(
    '# keys\nauth 2\n1 crc\n2 sha1 SECRET   # rotated 2024\n\t3 md5 other\n15 sha256 k#1\n',
  );
  assert.ok(r.ok);
  assert.equal(r.keys.sendId, 2);
  assert.deepEqual(
    [...r.keys.keys.values()],
    [
      { id: 1, method: 'crc', key: '' },
      { id: 2, method: 'sha1', key: 'SECRET' },
      { id: 3, method: 'md5', key: 'other' },
      { id: 15, method: 'sha256', key: 'k#1' },
    ],
  );
});

test('authkeys: CRLF files and blank lines are fine', () => {
  const r = parseAuthkeys('auth 1\r\n\r\n1 sha1 s\r\n');
  assert.ok(r.ok);
  assert.equal(r.keys.keys.get(1)?.key, 's');
});

test('authkeys: every error names its line', () => {
  const cases: [string, string, [number, RegExp][]][] = [
    ['empty file', '', [[0, /missing "auth N"/]]],
    ['auth without key line', 'auth 3\n1 crc\n', [[1, /no key line with id 3/]]],
    [
      'auth without number',
      'auth\n1 crc\n',
      [
        [1, /expected "auth N"/],
        [0, /missing/],
      ],
    ],
    ['second auth', 'auth 1\nauth 1\n1 crc\n', [[2, /second "auth" line \(first on line 1\)/]]],
    ['id out of range', 'auth 1\n1 crc\n16 crc\n', [[3, /N in 0\.\.15/]]],
    ['not a number', 'auth 1\n1 crc\nx sha1 k\n', [[3, /got "x"/]]],
    [
      'no method',
      'auth 1\n1\n',
      [
        [2, /no method/],
        [1, /no key line/],
      ],
    ],
    [
      'unknown method',
      'auth 1\n1 sha512 k\n',
      [
        [2, /unknown method "sha512"/],
        [1, /no key line/],
      ],
    ],
    [
      'keyed method without key',
      'auth 1\n1 sha1\n',
      [
        [2, /requires a key/],
        [1, /no key line/],
      ],
    ],
    [
      'crc with key',
      'auth 1\n1 crc secret\n',
      [
        [2, /takes no key/],
        [1, /no key line/],
      ],
    ],
    [
      'text after key',
      'auth 1\n1 sha1 a b\n',
      [
        [2, /unexpected text/],
        [1, /no key line/],
      ],
    ],
    ['duplicate id', 'auth 1\n1 sha1 a\n1 md5 b\n', [[3, /defined twice/]]],
  ];
  for (const [name, text, want] of cases) {
    const r = parseAuthkeys(text);
    assert.equal(r.ok, false, name);
    if (r.ok) continue;
    assert.equal(r.issues.length, want.length, `${name}: ${JSON.stringify(r.issues)}`);
    want.forEach(([line, re], i) => {
      assert.equal(r.issues[i]?.line, line, name);
      assert.match(r.issues[i]?.message ?? '', re, name);
    });
  }
});

test('authkeys: mode rule — only the owner may have access', () => {
  const cases: [number, boolean][] = [
    [0o100600, true],
    [0o100400, true],
    [0o100700, true],
    [0o100640, false],
    [0o100604, false],
    [0o100620, false],
    [0o100644, false],
    [0o100666, false],
  ];
  for (const [mode, ok] of cases) assert.equal(checkAuthkeysMode(mode).ok, ok, mode.toString(8));
  const bad = checkAuthkeysMode(0o100644);
  assert.ok(!bad.ok);
  assert.match(bad.message, /mode 644 .* chmod 600/);
});

test('authkeys: errors become one WebfarmError with file:line prefixes', () => {
  const r = parseAuthkeys('auth 1\n1 sha1\n');
  assert.ok(!r.ok);
  const e = authkeysError('/etc/ha.d/authkeys', r.issues);
  assert.equal(e.code, 'WF_ERR_CLUSTER_AUTHKEYS');
  assert.equal(e.message.split('\n')[0], '/etc/ha.d/authkeys:2: key 1: method sha1 requires a key');
});
