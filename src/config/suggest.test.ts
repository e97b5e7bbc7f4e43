import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, editDistance, unknownName } from './suggest.ts';

test('suggest: edit distance counts insertions, deletions, substitutions, transpositions', () => {
  const cases: Array<[string, string, number]> = [
    ['', '', 0],
    ['wlc', 'wlc', 0],
    ['wlc', 'wrc', 1],
    ['port', 'prot', 1],
    ['services', 'servics', 1],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
  ];
  for (const [a, b, d] of cases) assert.equal(editDistance(a, b), d, `${a}/${b}`);
});

test('suggest: closest within a third of the word, else nothing', () => {
  assert.equal(closest('schedular', ['scheduler', 'port']), 'scheduler');
  assert.equal(closest('WLC', ['rr', 'wlc']), 'wlc');
  assert.equal(closest('zzz', ['rr', 'wlc']), undefined);
  assert.equal(closest('random', ['rr', 'wrr', 'lc']), undefined);
  assert.equal(
    unknownName('scheduler', 'wrrr', ['rr', 'wrr']),
    'unknown scheduler "wrrr" (did you mean "wrr"?)',
  );
  assert.equal(unknownName('flag', 'x', ['a-b']), 'unknown flag "x" (known: a-b)');
});
