import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthKeys } from './auth.ts';
import { encodeClassic } from './classic-codec.ts';
import { message } from './message.ts';
import { encodeNetstring } from './netstring-codec.ts';
import { sealPacket, type WireFormat } from './packet.ts';
import { countVerdict, emptyReceiveCounters } from './receive-counters.ts';
import {
  INITIAL_RECEIVE_STATE,
  type ReceiveConfig,
  type ReceiveState,
  type ReceiveStep,
  receive,
} from './receive-filter.ts';
import { CAPTURE_KEYS, loadCapture } from './testing/heartbeat-capture.ts';

const keys: AuthKeys = {
  sendId: 1,
  keys: new Map([
    [1, { id: 1, method: 'sha256', key: 'cluster-secret' }],
    [2, { id: 2, method: 'md5', key: 'old-secret' }],
  ]),
};
const config: ReceiveConfig = { localNode: 'alpha', nodes: new Set(['alpha', 'beta', 'gamma']), keys };

type Pairs = [string, string][];

function seal(pairs: Pairs, format: WireFormat = 'netstring', k: AuthKeys = keys): Uint8Array {
  const r = sealPacket(message(pairs), format, k);
  assert.ok(r.ok);
  return r.bytes;
}

function msg(src: string, seq: number, hg = 5, extra: Pairs = [], type = 'status'): Pairs {
  return [['t', type], ['src', src], ['seq', seq.toString(16)], ['hg', hg.toString(16)], ...extra];
}

/** Feed packets in order from a state; returns every step. */
function run(packets: Uint8Array[], from: ReceiveState = INITIAL_RECEIVE_STATE): ReceiveStep[] {
  const steps: ReceiveStep[] = [];
  let state = from;
  packets.forEach((bytes, i) => {
    const s = receive(state, { bytes, link: 'bcast eth0', now: 1000 + i }, config);
    steps.push(s);
    state = s.state;
  });
  return steps;
}

const last = (steps: ReceiveStep[]) => steps.at(-1)!;
const summary = (s: ReceiveStep) =>
  s.verdict.kind === 'accept' ? 'accept' : `${s.verdict.kind}:${s.verdict.reason}`;

test('receive: accepted messages start and advance the peer track, in both formats', () => {
  for (const format of ['netstring', 'classic'] as const) {
    const steps = run([seal(msg('beta', 7), format), seal(msg('beta', 8), format)]);
    assert.deepEqual(steps.map(summary), ['accept', 'accept'], format);
    const v = last(steps).verdict;
    assert.ok(v.kind === 'accept');
    assert.deepEqual([v.from, v.seq, v.format], ['beta', 8, format]);
    assert.deepEqual(last(steps).state.peers.get('beta'), {
      lastSeq: 8,
      missing: [],
      generation: 5,
      lastLink: 'bcast eth0',
      lastAcceptedAt: 1001,
    });
  }
});

test('receive: every reject rule, one row each, leaves the state untouched', () => {
  const primed = last(run([seal(msg('beta', 10, 5))])).state;
  const otherKey: AuthKeys = { sendId: 1, keys: new Map([[1, { id: 1, method: 'sha256', key: 'wrong' }]]) };
  const unknownId: AuthKeys = { sendId: 9, keys: new Map([[9, { id: 9, method: 'sha1', key: 'x' }]]) };
  const plain = (pairs: Pairs) => {
    const r = encodeNetstring(message(pairs));
    assert.ok(r.ok);
    return r.bytes;
  };
  const plainClassic = (pairs: Pairs) => {
    const r = encodeClassic(message(pairs));
    assert.ok(r.ok);
    return r.bytes;
  };
  const cases: [string, Uint8Array, string][] = [
    ['random bytes', new Uint8Array([1, 2, 3]), 'reject:malformed'],
    ['truncated netstring', seal(msg('beta', 11)).subarray(0, 40), 'reject:malformed'],
    ['netstring without auth', plain(msg('beta', 11)), 'reject:unauthenticated'],
    ['classic without auth', plainClassic(msg('beta', 11)), 'reject:unauthenticated'],
    ['garbled token', plain([...msg('beta', 11), ['auth', 'one two']]).slice(), 'reject:unauthenticated'],
    ['wrong key', seal(msg('beta', 11), 'netstring', otherKey), 'reject:bad-digest'],
    ['wrong key, classic', seal(msg('beta', 11), 'classic', otherKey), 'reject:bad-digest'],
    ['unknown key id', seal(msg('beta', 11), 'netstring', unknownId), 'reject:unknown-key'],
    [
      'no src',
      seal([
        ['t', 'status'],
        ['seq', 'b'],
      ]),
      'reject:no-source',
    ],
    ['unknown node', seal(msg('mallory', 11)), 'reject:unknown-node'],
    [
      'no seq',
      seal([
        ['t', 'status'],
        ['src', 'beta'],
        ['hg', '5'],
      ]),
      'reject:bad-sequence',
    ],
    ['seq 0', seal(msg('beta', 0)), 'reject:bad-sequence'],
    [
      'seq not hex',
      seal([
        ['t', 'status'],
        ['src', 'beta'],
        ['seq', 'zz'],
      ]),
      'reject:bad-sequence',
    ],
    [
      'hg not hex',
      seal([
        ['t', 'status'],
        ['src', 'beta'],
        ['seq', 'b'],
        ['hg', '-1'],
      ]),
      'reject:bad-generation',
    ],
    ['older generation', seal(msg('beta', 11, 4)), 'reject:replayed-generation'],
    [
      'no generation (0 < 5)',
      seal([
        ['t', 'status'],
        ['src', 'beta'],
        ['seq', 'b'],
      ]),
      'reject:replayed-generation',
    ],
    ['duplicate seq', seal(msg('beta', 10)), 'reject:duplicate'],
    ['older seq', seal(msg('beta', 9)), 'reject:replayed-sequence'],
    [
      'bad NAK',
      seal([
        ['t', 'NS_nak_rexmit'],
        ['src', 'beta'],
        ['firstseq', 'x'],
      ]),
      'reject:bad-sequence',
    ],
  ];
  for (const [name, bytes, want] of cases) {
    const s = receive(primed, { bytes, link: 'bcast eth0', now: 5 }, config);
    assert.equal(summary(s), want, name);
    assert.equal(s.state, primed, `${name}: state must be the same object`);
    assert.deepEqual(s.actions, [], name);
  }
});

test('receive: a malformed packet says why', () => {
  const s = receive(
    INITIAL_RECEIVE_STATE,
    { bytes: new TextEncoder().encode('>>>\nno equals\n<<<\n'), link: 'l', now: 0 },
    config,
  );
  assert.ok(s.verdict.kind === 'reject');
  assert.equal(s.verdict.decodeReason, 'no-equals');
  assert.match(s.verdict.detail, /no-equals at byte 4/);
});

test('receive: duplicates name the sender (the link is alive), forgeries do not', () => {
  const steps = run([seal(msg('beta', 3)), seal(msg('beta', 3))]);
  const v = last(steps).verdict;
  assert.ok(v.kind === 'reject' && v.reason === 'duplicate');
  assert.equal(v.from, 'beta');
  const forged = receive(
    INITIAL_RECEIVE_STATE,
    { bytes: encodeNetstringOrThrow(msg('beta', 1)), link: 'l', now: 0 },
    config,
  );
  assert.ok(forged.verdict.kind === 'reject' && forged.verdict.from === undefined);
});

function encodeNetstringOrThrow(pairs: Pairs): Uint8Array {
  const r = encodeNetstring(message(pairs));
  assert.ok(r.ok);
  return r.bytes;
}

test('receive: our own messages are ignored; so are messages for another node, after seq accounting', () => {
  const own = run([seal(msg('alpha', 1))]);
  assert.equal(summary(last(own)), 'ignore:own-message');
  assert.equal(last(own).state.peers.size, 0);
  const other = run([
    seal(msg('beta', 1, 5, [['dest', 'gamma']])),
    seal(msg('beta', 2, 5, [['dest', 'ALPHA']])),
  ]);
  assert.deepEqual(other.map(summary), ['ignore:not-for-us', 'accept']);
  assert.equal(other[0]!.state.peers.get('beta')?.lastSeq, 1);
});

test('receive: node names compare case-insensitively (heartbeat lower-cases them)', () => {
  assert.equal(summary(last(run([seal(msg('BETA', 1))]))), 'accept');
});

test('receive: a gap is accepted and asks for the missing range with NS_rexmit (decimal bounds)', () => {
  const steps = run([seal(msg('beta', 1)), seal(msg('beta', 0x1c))]);
  const s = last(steps);
  assert.equal(summary(s), 'accept');
  assert.equal(s.actions.length, 1);
  const a = s.actions[0]!;
  assert.ok(a.kind === 'request-rexmit');
  assert.deepEqual([a.peer, a.firstSeq, a.lastSeq], ['beta', 2, 27]);
  assert.deepEqual(
    a.message,
    message([
      ['t', 'NS_rexmit'],
      ['dest', 'beta'],
      ['firstseq', '2'],
      ['lastseq', '27'],
    ]),
  );
  assert.equal(s.state.peers.get('beta')?.missing.length, 26);
});

test('receive: retransmitted packets fill the gap; replays of them do not', () => {
  const steps = run([
    seal(msg('beta', 1)),
    seal(msg('beta', 4)),
    seal(msg('beta', 3)),
    seal(msg('beta', 3)),
    seal(msg('beta', 2)),
  ]);
  assert.deepEqual(steps.map(summary), ['accept', 'accept', 'accept', 'reject:replayed-sequence', 'accept']);
  assert.deepEqual(steps[2]!.actions, [{ kind: 'recovered', peer: 'beta', seq: 3 }]);
  assert.deepEqual(last(steps).state.peers.get('beta')?.missing, []);
  assert.equal(last(steps).state.peers.get('beta')?.lastSeq, 4);
});

test('receive: a gap over 100 resyncs without a request', () => {
  const steps = run([seal(msg('beta', 1)), seal(msg('beta', 102)), seal(msg('beta', 204))]);
  assert.deepEqual(steps.map(summary), ['accept', 'accept', 'accept']);
  assert.equal(steps[1]!.actions[0]?.kind, 'request-rexmit', 'gap of exactly 100 is still requested');
  assert.deepEqual(steps[2]!.actions, [{ kind: 'resync', peer: 'beta', fromSeq: 102, toSeq: 204 }]);
  assert.deepEqual(steps[2]!.state.peers.get('beta')?.missing, []);
});

test('receive: a newer generation is a restart — seqs start over and it is reported', () => {
  const steps = run([
    seal(msg('beta', 50, 5)),
    seal(msg('beta', 1, 6)),
    seal(msg('beta', 2, 6)),
    seal(msg('beta', 51, 5)),
  ]);
  assert.deepEqual(steps.map(summary), ['accept', 'accept', 'accept', 'reject:replayed-generation']);
  assert.deepEqual(steps[1]!.actions, [{ kind: 'peer-restarted', peer: 'beta', from: 5, to: 6 }]);
  assert.equal(steps[2]!.state.peers.get('beta')?.lastSeq, 2);
});

test('receive: un-sequenced NS_ messages', () => {
  const ack = seal([
    ['t', 'NS_ackmsg'],
    ['src', 'beta'],
    ['dest', 'alpha'],
    ['ackseq', '7a'],
  ]);
  const ackOther = seal([
    ['t', 'NS_ackmsg'],
    ['src', 'beta'],
    ['dest', 'gamma'],
    ['ackseq', '7a'],
  ]);
  const rexmit = seal([
    ['t', 'NS_rexmit'],
    ['src', 'beta'],
    ['dest', 'alpha'],
    ['firstseq', '3'],
    ['lastseq', '3'],
  ]);
  assert.deepEqual(run([ack, ackOther, rexmit]).map(summary), ['accept', 'ignore:not-for-us', 'accept']);
  // A NAK stops us waiting for that seq.
  const nak = seal([
    ['t', 'NS_nak_rexmit'],
    ['src', 'beta'],
    ['firstseq', '2'],
    ['info', 'seqno too low'],
  ]);
  const steps = run([seal(msg('beta', 1)), seal(msg('beta', 4)), nak]);
  assert.deepEqual(last(steps).actions, [{ kind: 'packet-lost', peer: 'beta', seq: 2 }]);
  assert.deepEqual(last(steps).state.peers.get('beta')?.missing, [3]);
});

test('receive: counters count each verdict', () => {
  const steps = run([seal(msg('beta', 1)), seal(msg('beta', 1)), new Uint8Array([0]), seal(msg('alpha', 1))]);
  const c = steps.reduce((acc, s) => countVerdict(acc, s.verdict), emptyReceiveCounters());
  assert.deepEqual([c.accepted, c.duplicate, c.malformed, c.ignored, c['bad-digest']], [1, 1, 1, 1, 0]);
});

test('receive: the captured heartbeat 3.0.6 packets pass the filter of a third node', () => {
  const capture = loadCapture();
  const cfg: ReceiveConfig = {
    localNode: 'web1',
    nodes: new Set(['hba', 'hbb', 'web1']),
    keys: CAPTURE_KEYS,
  };
  let state = INITIAL_RECEIVE_STATE;
  const got: string[] = [];
  for (const c of capture) {
    const s = receive(state, { bytes: c.bytes, link: 'bcast eth0', now: 0 }, cfg);
    got.push(summary(s));
    state = s.state;
  }
  // The acks are addressed to hba; the statuses are for everyone.
  assert.deepEqual(got, ['ignore:not-for-us', 'accept', 'accept', 'ignore:not-for-us']);
  assert.deepEqual(state.peers.get('hba')?.generation, 0x6b023342);
  assert.deepEqual(state.peers.get('hbb')?.lastSeq, 0x74);
});
