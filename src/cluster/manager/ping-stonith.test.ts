import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../platform/fake-clock.ts';
import { exit, FakeRunner } from '../resources/testing/fake-runner.ts';
import { commandPingProber, PingCounter } from './ping-prober.ts';
import { pingVote } from './ping-vote.ts';
import { splitBrainKeeper } from './split-brain.ts';
import { commandStonith } from './stonith.ts';

test('pingVote: fewer gives up, more keeps, equal and unknown do nothing', () => {
  const cases: [number | undefined, number | undefined, string][] = [
    [1, 2, 'fewer'],
    [0, 1, 'fewer'],
    [2, 1, 'more'],
    [2, 2, 'equal'],
    [0, 0, 'equal'],
    [undefined, 2, 'unknown'],
    [2, undefined, 'unknown'],
  ];
  for (const [mine, theirs, want] of cases)
    assert.equal(pingVote(mine, theirs), want, `${mine} vs ${theirs}`);
});

test('splitBrainKeeper: preferred node when it is one of the two, else the lower name', () => {
  const cases: [string, string, string, string][] = [
    ['a', 'a', 'b', 'a'],
    ['b', 'a', 'b', 'b'],
    ['b', 'b', 'a', 'b'],
    ['c', 'b', 'a', 'a'],
    ['c', 'a', 'b', 'a'],
  ];
  for (const [pref, x, y, want] of cases) {
    assert.equal(splitBrainKeeper(pref, x, y), want);
    assert.equal(splitBrainKeeper(pref, y, x), want, 'symmetric');
  }
});

test('STONITH command: argv CMD… reset NODE, exit 0 is success, bad node names never reach the argv', async () => {
  const runner = new FakeRunner((argv) => (argv.at(-1) === 'beta' ? exit(0) : exit(1, '', 'no such outlet')));
  const dev = commandStonith(['/usr/sbin/stonith', '-t', 'external/ipmi'], runner, 7000);
  assert.deepEqual(await dev.reset('beta'), { ok: true });
  assert.deepEqual(await dev.reset('gamma'), { ok: false, reason: 'exit 1: no such outlet' });
  const r = await dev.reset('-rf');
  assert.equal(r.ok, false);
  assert.deepEqual(runner.lines(), [
    '/usr/sbin/stonith -t external/ipmi reset beta',
    '/usr/sbin/stonith -t external/ipmi reset gamma',
  ]);
  assert.equal(runner.options[0]?.timeoutMs, 7000);
  assert.throws(() => commandStonith([], runner));
});

test('ping prober argv and the counter: reports after the first round and on every change only', async () => {
  const up = new Set(['192.0.2.1', '192.0.2.2']);
  const runner = new FakeRunner((argv) => exit(up.has(argv.at(-1) ?? '') ? 0 : 1));
  const prober = commandPingProber(runner, 1);
  assert.equal(await prober.reachable('-f'), false, 'not an address: no process');
  assert.deepEqual(runner.lines(), []);
  const clock = new FakeClock();
  const counts: number[] = [];
  const counter = new PingCounter(clock, prober, ['192.0.2.1', '192.0.2.2', '192.0.2.3'], 1000, (n) =>
    counts.push(n),
  );
  counter.start();
  await counter.round;
  assert.deepEqual(counts, [2]);
  assert.ok(runner.lines().includes('ping -c 1 -W 1 -n 192.0.2.3'));
  clock.advance(1000);
  await counter.round;
  assert.deepEqual(counts, [2], 'unchanged: not reported');
  up.delete('192.0.2.2');
  clock.advance(1000);
  await counter.round;
  assert.deepEqual(counts, [2, 1]);
  counter.stop();
  const before = runner.calls.length;
  clock.advance(5000);
  assert.equal(runner.calls.length, before, 'stopped: no more probes');
});
