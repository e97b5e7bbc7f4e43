import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASSIC_MAX_BYTES, decodeClassic, encodeClassic } from './classic-codec.ts';
import { message } from './message.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

test('classic: encodes fields in order between >>> and <<<', () => {
  const cases: [string, Parameters<typeof message>[0], string][] = [
    [
      'plain',
      [
        ['t', 'status'],
        ['src', 'hba'],
        ['seq', '7a'],
      ],
      '>>>\nt=status\nsrc=hba\nseq=7a\n<<<\n',
    ],
    ['= inside a value', [['info', 'a=b']], '>>>\ninfo=a=b\n<<<\n'],
    ['empty value', [['info', '']], '>>>\ninfo=\n<<<\n'],
    ['newline travels as 0x13', [['info', 'two\nlines']], '>>>\ninfo=two\x13lines\n<<<\n'],
    ['binary as (1)name=base64', [['u', new Uint8Array([0xe6, 0x79, 0, 0xff])]], '>>>\n(1)u=5nkA/w==\n<<<\n'],
  ];
  for (const [name, pairs, want] of cases) {
    const r = encodeClassic(message(pairs));
    assert.ok(r.ok, name);
    assert.equal(text(r.bytes), want, name);
  }
});

test('classic: refuses what the format cannot carry', () => {
  const cases: [string, Parameters<typeof message>[0], string][] = [
    ['no fields', [], 'no-fields'],
    ['empty name', [['', 'x']], 'bad-name'],
    ['= in name', [['a=b', 'x']], 'bad-name'],
    ['space in name', [['a b', 'x']], 'bad-name'],
    ['typed-looking name', [['(1)x', 'y']], 'bad-name'],
    ['CR in value', [['a', 'x\ry']], 'bad-value'],
    ['NUL in value', [['a', 'x\0y']], 'bad-value'],
    ['0x13 in value', [['a', 'x\x13y']], 'bad-value'],
    ['non-byte character', [['a', 'é€']], 'bad-value'],
    ['over 1398 bytes', [['a', 'x'.repeat(CLASSIC_MAX_BYTES)]], 'too-large'],
  ];
  for (const [name, pairs, reason] of cases) {
    const r = encodeClassic(message(pairs));
    assert.equal(r.ok ? 'ok' : r.reason, reason, name);
  }
});

test('classic: the 0.4.8 MAXMSG rule — 1398 bytes fit, 1399 do not', () => {
  const overhead = '>>>\na=\n<<<\n'.length;
  assert.ok(encodeClassic(message([['a', 'x'.repeat(1398 - overhead)]])).ok);
  assert.equal(encodeClassic(message([['a', 'x'.repeat(1399 - overhead)]])).ok, false);
});

test('classic: decodes what it encodes, and tolerated variants', () => {
  const cases: [string, string, Parameters<typeof message>[0]][] = [
    [
      'plain',
      '>>>\nt=status\nsrc=hba\n<<<\n',
      [
        ['t', 'status'],
        ['src', 'hba'],
      ],
    ],
    ['trailing NUL (3.x sends strlen+1)', '>>>\nt=x\n<<<\n\0', [['t', 'x']]],
    [
      'CRLF line ends',
      '>>>\nt=x\r\nsrc=a\r\n<<<\n',
      [
        ['t', 'x'],
        ['src', 'a'],
      ],
    ],
    ['blank lines skipped', '>>>\n\nt=x\n\n<<<\n', [['t', 'x']]],
    ['0x13 becomes newline', '>>>\ninfo=a\x13b\n<<<\n', [['info', 'a\nb']]],
    ['(0) prefix is a string', '>>>\n(0)t=x\n<<<\n', [['t', 'x']]],
    ['binary', '>>>\n(1)u=5nkA/w==\n<<<\n', [['u', new Uint8Array([0xe6, 0x79, 0, 0xff])]]],
    [
      'duplicate names kept in order',
      '>>>\na=1\na=2\n<<<\n',
      [
        ['a', '1'],
        ['a', '2'],
      ],
    ],
  ];
  for (const [name, input, pairs] of cases) {
    const r = decodeClassic(bytes(input));
    assert.ok(r.ok, `${name}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.value, message(pairs), name);
  }
});

test('classic: rejects malformed input with a reason and an offset', () => {
  const cases: [string, string, string, number][] = [
    ['nothing', '', 'empty', 0],
    ['no start', 't=x\n<<<\n', 'no-start', 0],
    ['start marker must be exactly >>>\n', '>>>\r\nt=x\n<<<\n', 'no-start', 0],
    ['no end', '>>>\nt=x\n', 'no-end', 8],
    ['unterminated line', '>>>\nt=x', 'no-end', 4],
    ['NUL inside', '>>>\nt=\0x\n<<<\n', 'nul-byte', 6],
    ['line without =', '>>>\nt=x\nbogus\n<<<\n', 'no-equals', 8],
    ['empty name', '>>>\n=x\n<<<\n', 'empty-name', 4],
    ['bad name', '>>>\na b=x\n<<<\n', 'bad-name', 4],
    ['CR inside a value', '>>>\na=x\ry\n<<<\n', 'bad-value', 4],
    ['unsupported type', '>>>\n(2)a=x\n<<<\n', 'bad-type', 4],
    ['bad base64', '>>>\n(1)a=***\n<<<\n', 'bad-base64', 9],
    ['bytes after <<<', '>>>\nt=x\n<<<\nmore', 'trailing-data', 12],
    ['no fields', '>>>\n<<<\n', 'no-fields', 4],
    ['too large', `>>>\na=${'x'.repeat(1400)}\n<<<\n`, 'too-large', CLASSIC_MAX_BYTES],
  ];
  for (const [name, input, reason, offset] of cases) {
    const r = decodeClassic(bytes(input));
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.deepEqual([r.reason, r.offset], [reason, offset], name);
  }
});
