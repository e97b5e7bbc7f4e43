import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SerialDeframer } from './serial-framing.ts';

const b = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array) => Buffer.from(u).toString('latin1');

test('serial framing: frames out of a byte stream', () => {
  const cases: [string, string[], string[], number?][] = [
    ['one frame', ['>>>\nt=status\n<<<\n'], ['>>>\nt=status\n<<<\n']],
    ['split anywhere', ['>', '>>\nt=st', 'atus\n<', '<<\n'], ['>>>\nt=status\n<<<\n']],
    ['noise before is skipped', ['\0\xffjunk\nmore\r\n>>>\na=1\n<<<\n'], ['>>>\na=1\n<<<\n']],
    ['CR ends lines too; blank lines dropped', ['\n>>>\r\na=1\r\n\r\n<<<\r\n'], ['>>>\na=1\n<<<\n']],
    ['two frames in one chunk', ['>>>\na=1\n<<<\n\n>>>\na=2\n<<<\n'], ['>>>\na=1\n<<<\n', '>>>\na=2\n<<<\n']],
    ['a new start restarts the frame', ['>>>\na=1\n>>>\na=2\n<<<\n'], ['>>>\na=2\n<<<\n'], 1],
    ['an end without start is noise', ['<<<\n>>>\na=1\n<<<\n'], ['>>>\na=1\n<<<\n']],
    ['no end yet: nothing', ['>>>\na=1\n'], []],
    [
      'start line with trailing text, as heartbeat matches prefixes',
      ['>>>x\na=1\n<<<y\n'],
      ['>>>\na=1\n<<<\n'],
    ],
    [
      'too long a frame is dropped',
      [`>>>\n${'a=1\n'.repeat(30)}<<<\n>>>\na=2\n<<<\n`],
      ['>>>\na=2\n<<<\n'],
      1,
    ],
    [
      'too long a line is dropped',
      [`>>>\n${'x'.repeat(200)}`, '\n<<<\n>>>\na=2\n<<<\n'],
      ['>>>\na=2\n<<<\n'],
      1,
    ],
  ];
  for (const [name, chunks, want, dropped] of cases) {
    const d = new SerialDeframer(100);
    const got = chunks.flatMap((c) => d.push(b(c)).map(s));
    assert.deepEqual(got, want, name);
    assert.equal(d.dropped, dropped ?? 0, `${name}: dropped`);
  }
});

test('serial framing: any chunking of a stream gives the same frames; random bytes never throw', () => {
  const stream = '\x00noise\n>>>\nt=status\nsrc=a\n<<<\n\r\n>>>\nt=x\n<<<\n';
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 10 }), (cuts) => {
      const d = new SerialDeframer();
      const at = [...new Set(cuts)].sort((x, y) => x - y);
      let prev = 0;
      const got: string[] = [];
      for (const c of [...at, stream.length]) {
        got.push(...d.push(b(stream.slice(prev, c))).map(s));
        prev = c;
      }
      assert.deepEqual(got, ['>>>\nt=status\nsrc=a\n<<<\n', '>>>\nt=x\n<<<\n']);
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 })), (chunks) => {
      const d = new SerialDeframer(256);
      for (const c of chunks) for (const f of d.push(c)) assert.ok(f.length <= 256 + 8);
    }),
  );
});
