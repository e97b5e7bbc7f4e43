import assert from 'node:assert/strict';
import { test } from 'node:test';
import { message } from './message.ts';
import { decodeNetstring, encodeNetstring, NETSTRING_MAX_BYTES } from './netstring-codec.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

test('netstring: encodes ### LEN:(T)name=value, … %%% and the auth netstring', () => {
  const cases: [string, Parameters<typeof message>[0], string | undefined, string][] = [
    [
      'string fields',
      [
        ['t', 'status'],
        ['seq', '7a'],
      ],
      undefined,
      '###\n11:(0)t=status,9:(0)seq=7a,%%%\n',
    ],
    ['empty value', [['info', '']], undefined, '###\n8:(0)info=,%%%\n'],
    ['values are raw', [['info', 'a,b\n:c=d']], undefined, '###\n16:(0)info=a,b\n:c=d,%%%\n'],
    ['binary raw bytes', [['u', new Uint8Array([0, 0x2c, 0xff])]], undefined, '###\n8:(1)u=\0,\xff,%%%\n'],
    ['with auth', [['t', 'x']], '1 abc', '###\n6:(0)t=x,%%%\n5:1 abc,'],
  ];
  for (const [name, pairs, auth, want] of cases) {
    const r = encodeNetstring(message(pairs), auth);
    assert.ok(r.ok, name);
    assert.equal(text(r.bytes), want, name);
  }
});

test('netstring: refuses what the format cannot carry', () => {
  const cases: [string, Parameters<typeof message>[0], string][] = [
    ['no fields', [], 'no-fields'],
    ['= in name', [['a=b', 'x']], 'bad-name'],
    ['NUL in a string value', [['a', 'x\0']], 'bad-value'],
    ['non-byte character', [['a', '€']], 'bad-value'],
    ['too large', [['a', 'x'.repeat(NETSTRING_MAX_BYTES)]], 'too-large'],
  ];
  for (const [name, pairs, reason] of cases) {
    const r = encodeNetstring(message(pairs));
    assert.equal(r.ok ? 'ok' : r.reason, reason, name);
  }
});

test('netstring: decodes fields, the signed range and the auth token', () => {
  const r = decodeNetstring(bytes('###\n6:(0)t=x,8:(1)u=\0,\xff,%%%\n5:1 abc,'));
  assert.ok(r.ok);
  assert.deepEqual(
    r.value.message,
    message([
      ['t', 'x'],
      ['u', new Uint8Array([0, 0x2c, 0xff])],
    ]),
  );
  assert.equal(text(r.value.signed), '###\n6:(0)t=x,8:(1)u=\0,\xff,%%%\n');
  assert.equal(r.value.authToken, '1 abc');
  const noAuth = decodeNetstring(bytes('###\n6:(0)t=x,%%%\n'));
  assert.ok(noAuth.ok);
  assert.equal(noAuth.value.authToken, undefined);
});

test('netstring: rejects malformed input with a reason and an offset', () => {
  const cases: [string, string, string, number][] = [
    ['nothing', '', 'empty', 0],
    ['no start', '6:(0)t=x,%%%\n', 'no-start', 0],
    ['no end', '###\n6:(0)t=x,', 'no-end', 13],
    ['leading zero length', '###\n06:(0)t=x,%%%\n', 'bad-netstring', 4],
    ['junk before colon', '###\n6 :(0)t=x,%%%\n', 'bad-netstring', 4],
    ['huge length', '###\n999999:(0)t=x,%%%\n', 'bad-netstring', 4],
    ['too many digits', '###\n1234567:(0)t=x,%%%\n', 'bad-netstring', 4],
    ['length too short', '###\n5:(0)t=x,%%%\n', 'bad-netstring', 11],
    ['missing comma', '###\n6:(0)t=x;%%%\n', 'bad-netstring', 12],
    ['no type', '###\n3:t=x,%%%\n', 'bad-type', 4],
    ['unsupported type', '###\n6:(2)t=x,%%%\n', 'bad-type', 4],
    ['no =', '###\n5:(0)tx,%%%\n', 'no-equals', 4],
    ['empty name', '###\n5:(0)=x,%%%\n', 'empty-name', 4],
    ['bad name', '###\n8:(0)t t=x,%%%\n', 'bad-name', 4],
    ['NUL in string', '###\n6:(0)t=\0,%%%\n', 'nul-byte', 4],
    ['no fields', '###\n%%%\n', 'no-fields', 4],
    ['bad auth netstring', '###\n6:(0)t=x,%%%\n9:1 abc,', 'bad-netstring', 17],
    ['bytes after auth', '###\n6:(0)t=x,%%%\n5:1 abc,x', 'trailing-data', 25],
  ];
  for (const [name, input, reason, offset] of cases) {
    const r = decodeNetstring(bytes(input));
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.deepEqual([r.reason, r.offset], [reason, offset], name);
  }
});
