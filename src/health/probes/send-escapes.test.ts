import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeProblems, expandEscapes } from './send-escapes.ts';

describe('send escapes', () => {
  const cases: readonly [string, string][] = [
    ['PING', 'PING'],
    ['PING\\r\\n', 'PING\r\n'],
    ['a\\tb\\nc', 'a\tb\nc'],
    ['back\\\\slash', 'back\\slash'],
    ['\\\\n is not a newline', '\\n is not a newline'],
    ['unknown \\q stays', 'unknown \\q stays'],
    ['trailing \\', 'trailing \\'],
    ['', ''],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => assert.equal(expandEscapes(input), want));
  }

  it('problems: unknown escapes and a lone trailing backslash', () => {
    assert.deepEqual(escapeProblems('request', 'ok\\r\\n\\t\\\\'), []);
    assert.deepEqual(escapeProblems('request', 'a\\qb'), [
      'request: unknown escape \\q (known: \\n \\r \\t \\\\)',
    ]);
    assert.deepEqual(escapeProblems('request', 'a\\'), [
      'request: ends with a lone backslash (write \\\\ for one backslash)',
    ]);
  });

  it('text without backslashes is sent as written', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('\\')),
        (s) => expandEscapes(s) === s && escapeProblems('request', s).length === 0,
      ),
    );
  });

  it('escaping every backslash round-trips any text', () => {
    fc.assert(fc.property(fc.string(), (s) => expandEscapes(s.replaceAll('\\', '\\\\')) === s));
  });
});
