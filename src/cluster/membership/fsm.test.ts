import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../platform/fake-clock.ts';
import { check, heard, initialMembership, type MembershipEvent } from './fsm.ts';
import { MembershipMonitor } from './monitor.ts';
import { DEFAULT_TIMING } from './timing.ts';

/**
 * Event sequences on a FakeClock. Timing: keepalive 100, warntime 250, deadtime 500, initdead 2000 ms; checks
 * every 50 ms. Times in the tables are the clock's `now`.
 */

/** A FakeClock whose `now` can jump ahead without firing timers: a stalled event loop, seen from inside. */
class StallClock extends FakeClock {
  #offset = 0;
  override now(): number {
    return super.now() + this.#offset;
  }
  stall(ms: number): void {
    this.#offset += ms;
  }
}

type Act =
  | readonly [at: number, what: 'hear', link: string]
  | readonly [at: number, what: 'dup', link: string]
  | readonly [at: number, what: 'stall', ms: number]
  | readonly [at: number, what: 'end'];

function fmt(e: MembershipEvent): string {
  switch (e.kind) {
    case 'peer-up':
      return `peer-up ${e.peer} ${e.link} ${e.reason} @${e.at}`;
    case 'peer-dead':
      return `peer-dead ${e.peer} ${e.reason} silent=${e.silentMs} @${e.at}`;
    case 'link-up':
      return `link-up ${e.peer} ${e.link} @${e.at}`;
    case 'link-dead':
      return `link-dead ${e.peer} ${e.link} ${e.reason} silent=${e.silentMs} @${e.at}`;
    case 'late-heartbeat':
      return `late ${e.peer} ${e.link} gap=${e.gapMs} @${e.at}`;
    case 'stalled':
      return `stalled late=${e.lateMs} @${e.at}`;
  }
}

/** Heartbeats from peer b every `every` ms in [from, to] on `link` (fresh), and on `dup` as duplicates. */
function beats(from: number, to: number, link: string, dup?: string, every = 100): Act[] {
  const out: Act[] = [];
  for (let t = from; t <= to; t += every) {
    out.push([t, 'hear', link]);
    if (dup !== undefined) out.push([t, 'dup', dup]);
  }
  return out;
}

/** Duplicates only (a replayed packet, say) every 100 ms in [from, to] on `link`. */
function dups(from: number, to: number, link: string): Act[] {
  return beats(from, to, link).map((a) => [a[0], 'dup', link] as const);
}

function run(acts: readonly Act[], links: readonly string[] = ['l1', 'l2']): string[] {
  const clock = new StallClock(0);
  const m = new MembershipMonitor(clock, DEFAULT_TIMING, ['b'], links);
  const out: string[] = [];
  m.on((e) => out.push(fmt(e)));
  m.start();
  for (const a of [...acts].sort((x, y) => x[0] - y[0])) {
    clock.advance(a[0] - clock.now());
    if (a[1] === 'hear') m.heard('b', a[2]);
    else if (a[1] === 'dup') m.heard('b', a[2], false);
    else if (a[1] === 'stall') clock.stall(a[2]);
  }
  m.stop();
  return out;
}

const UP_BOTH = ['link-up b l1 @0', 'peer-up b l1 first-heartbeat @0', 'link-up b l2 @0'];

test('membership: event sequences', () => {
  const cases: [string, Act[], string[], (readonly string[])?][] = [
    [
      'both links carry heartbeats: up, nothing else',
      [...beats(0, 3000, 'l1', 'l2'), [3000, 'end']],
      UP_BOTH,
    ],
    [
      'one link of two goes silent: link-dead only, never peer-dead',
      [...beats(0, 300, 'l1', 'l2'), ...beats(400, 3000, 'l1'), [3000, 'end']],
      [...UP_BOTH, 'link-dead b l2 timeout silent=550 @850'],
    ],
    [
      'silent on every link for > deadtime: dead exactly once (not at 800 = exactly deadtime)',
      [...beats(0, 300, 'l1', 'l2'), [5000, 'end']],
      [
        ...UP_BOTH,
        'link-dead b l1 timeout silent=550 @850',
        'link-dead b l2 timeout silent=550 @850',
        'peer-dead b timeout silent=550 @850',
      ],
    ],
    [
      'never heard: dead after initdead, not before',
      [
        [2000, 'end'],
        [3000, 'end'],
      ],
      [
        'link-dead b l1 never-heard silent=2050 @2050',
        'link-dead b l2 never-heard silent=2050 @2050',
        'peer-dead b never-heard silent=2050 @2050',
      ],
    ],
    [
      'first heard late but within initdead: up, no death',
      [...beats(1900, 3000, 'l1', 'l2'), [3000, 'end']],
      ['link-up b l1 @1900', 'peer-up b l1 first-heartbeat @1900', 'link-up b l2 @1900'],
    ],
    [
      'dead then back: peer-up returned',
      [...beats(0, 300, 'l1'), ...beats(1000, 1200, 'l1'), [1200, 'end']],
      [
        'link-up b l1 @0',
        'peer-up b l1 first-heartbeat @0',
        'link-dead b l1 timeout silent=550 @850',
        'peer-dead b timeout silent=550 @850',
        'link-up b l1 @1000',
        'peer-up b l1 returned @1000',
      ],
      ['l1'],
    ],
    [
      'late heartbeat: gap above warntime warns, a gap of exactly warntime does not',
      [
        [0, 'hear', 'l1'],
        [250, 'hear', 'l1'],
        [550, 'hear', 'l1'],
        [650, 'end'],
      ],
      ['link-up b l1 @0', 'peer-up b l1 first-heartbeat @0', 'late b l1 gap=300 @550'],
      ['l1'],
    ],
    [
      'a duplicate keeps its link up but not the peer',
      [...beats(0, 1000, 'l1', 'l2'), ...dups(1100, 2000, 'l2'), [2000, 'end']],
      [...UP_BOTH, 'link-dead b l1 timeout silent=550 @1550', 'peer-dead b timeout silent=550 @1550'],
    ],
    [
      'a duplicate does not bring a dead peer back',
      [
        [0, 'hear', 'l1'],
        [1000, 'dup', 'l1'],
        [1100, 'end'],
      ],
      [
        'link-up b l1 @0',
        'peer-up b l1 first-heartbeat @0',
        'link-dead b l1 timeout silent=550 @550',
        'peer-dead b timeout silent=550 @550',
      ],
      ['l1'],
    ],
  ];
  for (const [name, acts, want, links] of cases) {
    assert.deepEqual(run(acts, links), want, name);
  }
});

test('membership: stall rule — our own loop stalled longer than deadtime declares nobody dead', () => {
  const cases: [string, Act[], string[]][] = [
    [
      'peer alive through our 1 s stall: stalled, then no death and no late warning',
      [
        ...beats(0, 1000, 'l1'),
        [1000, 'stall', 1000],
        ...beats(2050, 4000, 'l1', undefined, 50),
        [4000, 'end'],
      ],
      ['link-up b l1 @0', 'peer-up b l1 first-heartbeat @0', 'stalled late=1000 @2050'],
    ],
    [
      'peer really gone during our stall: dead only a fresh deadtime after the stall',
      [...beats(0, 1000, 'l1'), [1000, 'stall', 1000], [4000, 'end']],
      [
        'link-up b l1 @0',
        'peer-up b l1 first-heartbeat @0',
        'stalled late=1000 @2050',
        'link-dead b l1 timeout silent=1600 @2600',
        'peer-dead b timeout silent=1600 @2600',
      ],
    ],
    [
      'a hiccup shorter than deadtime: the first late check decides nothing, queued heartbeats are read first',
      [
        ...beats(0, 400, 'l1'),
        [450, 'stall', 450],
        [950, 'hear', 'l1'],
        ...beats(1000, 2000, 'l1'),
        [2000, 'end'],
      ],
      ['link-up b l1 @0', 'peer-up b l1 first-heartbeat @0', 'late b l1 gap=550 @950'],
    ],
    [
      'stall during initdead: a never-heard peer still gets a fresh deadtime after it',
      [
        [1800, 'stall', 1000],
        [3500, 'end'],
      ],
      [
        'stalled late=1000 @2850',
        'link-dead b l1 never-heard silent=3400 @3400',
        'peer-dead b never-heard silent=3400 @3400',
      ],
    ],
  ];
  for (const [name, acts, want] of cases) assert.deepEqual(run(acts, ['l1']), want, name);
});

test('membership: pure check — clock backwards is a stall, times are clamped', () => {
  let s = initialMembership(DEFAULT_TIMING, ['b'], ['l1'], 10_000);
  s = heard(s, { peer: 'b', link: 'l1', now: 10_000, fresh: true }).state;
  const back = check(s, 4000);
  assert.deepEqual(back.events, [{ kind: 'stalled', at: 4000, lateMs: -6000 }]);
  assert.equal(back.state.peers.get('b')?.lastHeardAt, 4000);
  // Silence now counts from 4000: not dead at 4500, dead after.
  let t = back.state;
  const seen: string[] = [];
  for (let now = 4050; now <= 4600; now += 50) {
    const r = check(t, now);
    t = r.state;
    seen.push(...r.events.map(fmt));
  }
  assert.deepEqual(seen, ['link-dead b l1 timeout silent=550 @4550', 'peer-dead b timeout silent=550 @4550']);
});

test('membership: unknown peers are ignored; unknown links are added', () => {
  const s = initialMembership(DEFAULT_TIMING, ['b'], [], 0);
  assert.deepEqual(heard(s, { peer: 'zz', link: 'l1', now: 1, fresh: true }).events, []);
  const r = heard(s, { peer: 'b', link: 'new', now: 1, fresh: true });
  assert.deepEqual(r.events.map(fmt), ['link-up b new @1', 'peer-up b new first-heartbeat @1']);
  assert.equal(r.state.peers.get('b')?.links.get('new')?.status, 'up');
});
