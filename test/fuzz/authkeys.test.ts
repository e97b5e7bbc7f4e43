import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AUTH_METHODS, MAX_AUTH_ID, methodNeedsKey } from '../../src/cluster/auth.ts';
import { authkeysError, parseAuthkeys } from '../../src/cluster/authkeys-file.ts';
import { anyTextArb, assertInside, assertOneLine, check, mutatedArb } from './support.ts';

// heartbeat's authkeys (src/cluster/authkeys-file.ts): never throws; every rejection names a line inside the
// file (0 = the file as a whole, e.g. no "auth" line) with a one-line message, printed as FILE:LINE:
// message (authkeys has no columns); generated valid files parse to the keys written.

const FILE = '/etc/ha.d/authkeys';

const keyArb = fc.record({
  id: fc.integer({ min: 0, max: MAX_AUTH_ID }),
  method: fc.constantFrom(...AUTH_METHODS),
  key: fc.stringMatching(/^[!-~]{1,40}$/).filter((k) => !k.startsWith('#')),
});

const generatedArb = fc
  .uniqueArray(keyArb, { minLength: 1, maxLength: 5, selector: (k) => k.id })
  .chain((keys) => fc.tuple(fc.constant(keys), fc.constantFrom(...keys.map((k) => k.id)), fc.boolean()))
  .map(([keys, send, comments]) => {
    const lines = [`auth ${send}`];
    if (comments) lines.unshift('# heartbeat keys');
    for (const k of keys) lines.push(`${k.id} ${k.method}${methodNeedsKey(k.method) ? ` ${k.key}` : ''}`);
    return { text: `${lines.join('\n')}\n`, keys, send };
  });

function parseChecked(text: string): void {
  const r = parseAuthkeys(text);
  if (r.ok) return;
  assert.ok(r.issues.length > 0);
  for (const i of r.issues) assertInside(text, { line: i.line }, JSON.stringify(i), true);
  // As printed (webfarm check, import, the cluster worker): FILE[:LINE]: message, one line per issue.
  const shown = authkeysError(FILE, r.issues).message.split('\n');
  assert.equal(shown.length, r.issues.length, 'one printed line per issue');
  shown.forEach((l, k) => {
    const head = r.issues[k]!.line > 0 ? `${FILE}:${r.issues[k]!.line}: ` : `${FILE}: `;
    assert.ok(l.startsWith(head), l);
    assertOneLine(l.slice(head.length), l);
  });
}

test('fuzz authkeys: arbitrary text never throws; rejections name a line inside the file', () => {
  check(fc.property(anyTextArb, parseChecked));
});

test('fuzz authkeys: a valid file with a mutation never throws; rejections are placed', () => {
  check(
    fc.property(
      mutatedArb(
        generatedArb.map((g) => g.text),
        'words',
      ),
      parseChecked,
    ),
  );
});

test('fuzz authkeys: generated valid files parse to the keys written', () => {
  check(
    fc.property(generatedArb, ({ text, keys, send }) => {
      const r = parseAuthkeys(text);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.keys.sendId, send);
      for (const k of keys) {
        assert.deepEqual(r.keys.keys.get(k.id), {
          id: k.id,
          method: k.method,
          key: methodNeedsKey(k.method) ? k.key : '',
        });
      }
    }),
  );
});
