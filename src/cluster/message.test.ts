import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatHex,
  msgGeneration,
  msgSeq,
  msgSrcUuid,
  msgTtl,
  parseDec,
  parseHex,
} from './message-fields.ts';
import { getField, getString, message, messagesEqual, withField, withoutField } from './message.ts';

test('message: lookups take the first field; withField replaces in place or appends (ha_msg_mod)', () => {
  const m = message([
    ['a', '1'],
    ['b', '2'],
    ['a', '3'],
  ]);
  assert.equal(getString(m, 'a'), '1');
  assert.equal(getField(m, 'zz'), undefined);
  assert.deepEqual(
    withField(m, 'a', 'x'),
    message([
      ['a', 'x'],
      ['b', '2'],
      ['a', '3'],
    ]),
  );
  assert.deepEqual(
    withField(m, 'c', 'y'),
    message([
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
      ['c', 'y'],
    ]),
  );
  assert.deepEqual(withoutField(m, 'a'), message([['b', '2']]));
  assert.deepEqual(
    m,
    message([
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ]),
    'the original is untouched',
  );
});

test('message: equality compares names, types, bytes and order', () => {
  const u = new Uint8Array([1, 2]);
  assert.ok(messagesEqual(message([['u', u]]), message([['u', new Uint8Array([1, 2])]])));
  assert.ok(!messagesEqual(message([['u', u]]), message([['u', '\x01\x02']])));
  assert.ok(
    !messagesEqual(
      message([
        ['a', '1'],
        ['b', '2'],
      ]),
      message([
        ['b', '2'],
        ['a', '1'],
      ]),
    ),
  );
});

test('message fields: number forms are strict', () => {
  const hex: [string | undefined, number | undefined][] = [
    ['7a', 0x7a],
    ['6B023342', 0x6b023342],
    ['fffffffffffff', 2 ** 52 - 1],
    ['10000000000000', undefined],
    ['0x7a', undefined],
    [' 7a', undefined],
    ['7a ', undefined],
    ['', undefined],
    ['-1', undefined],
    [undefined, undefined],
  ];
  for (const [s, want] of hex) assert.equal(parseHex(s), want, String(s));
  assert.equal(parseDec('3'), 3);
  assert.equal(parseDec('3a'), undefined);
  assert.equal(formatHex(2000), '7d0');
});

test('message fields: typed accessors read the standard fields', () => {
  const m = message([
    ['seq', '7a'],
    ['hg', '6b023342'],
    ['ttl', '3'],
    ['srcuuid', new Uint8Array(16)],
  ]);
  assert.deepEqual(
    [msgSeq(m), msgGeneration(m), msgTtl(m), msgSrcUuid(m)?.length],
    [0x7a, 0x6b023342, 3, 16],
  );
  assert.equal(msgSrcUuid(message([['srcuuid', 'text']])), undefined, 'wrong field type');
});
