import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advanceSeq, EMPTY_SEQ_TRACK, forgetMissing, type SeqTrack } from './seq-track.ts';

const limits = { maxGap: 100, maxMissing: 5 };
const t = (lastSeq: number | undefined, missing: number[] = []): SeqTrack => ({ lastSeq, missing });

test('seq track: every case of advanceSeq', () => {
  const cases: [string, SeqTrack, number, object][] = [
    ['first', EMPTY_SEQ_TRACK, 9, { kind: 'in-order', track: t(9) }],
    ['next', t(9), 10, { kind: 'in-order', track: t(10) }],
    ['same', t(9), 9, { kind: 'duplicate' }],
    ['gap of 2', t(9), 12, { kind: 'gap', track: t(12, [10, 11]), first: 10, last: 11 }],
    ['gap of 100', t(1), 102, { kind: 'gap', first: 2, last: 101 }],
    ['gap of 101 resyncs', t(1), 103, { kind: 'resync', track: t(103), from: 1 }],
    ['recovered', t(12, [10, 11]), 11, { kind: 'recovered', track: t(12, [10]) }],
    ['older, not missing', t(12, [10]), 11, { kind: 'replayed', last: 12 }],
    ['missing list keeps the newest', t(1, [0]), 9, { kind: 'gap', track: t(9, [4, 5, 6, 7, 8]) }],
  ];
  for (const [name, track, seq, want] of cases) {
    const got = advanceSeq(track, seq, limits);
    for (const [k, v] of Object.entries(want)) {
      assert.deepEqual((got as Record<string, unknown>)[k], v, `${name}.${k}`);
    }
  }
});

test('seq track: forgetting a missing seq', () => {
  assert.deepEqual(forgetMissing(t(9, [3, 4]), 3), t(9, [4]));
  const same = t(9, [4]);
  assert.equal(forgetMissing(same, 7), same);
});
