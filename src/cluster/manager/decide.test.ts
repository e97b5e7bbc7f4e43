import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  initialManagerState,
  type ManagerConfig,
  type ManagerEffect,
  type ManagerInput,
  type ManagerState,
  step,
} from './decide.ts';
import type { ManagerMessage } from './messages.ts';

const BASE: ManagerConfig = {
  self: 'alpha',
  peer: 'beta',
  groups: [
    { key: 'vipA', preferred: 'alpha' },
    { key: 'vipB', preferred: 'beta' },
  ],
  autoFailback: true,
  stonith: false,
  requestRetryMs: 2000,
  stonithRetryMs: 5000,
};

function fmt(e: ManagerEffect): string {
  switch (e.kind) {
    case 'take':
    case 'give':
    case 'announce':
      return `${e.kind} ${e.key}`;
    case 'send':
      return `send ${fmtMsg(e.msg)}`;
    case 'stonith':
      return `stonith ${e.node} #${e.attempt}`;
    case 'set-timer':
      return `timer ${e.name} ${e.ms}`;
    case 'cancel-timer':
      return `cancel ${e.name}`;
    case 'event':
      return `event ${e.event.kind}${e.event.group === undefined ? '' : ` ${e.event.group}`}`;
  }
}

function fmtMsg(m: ManagerMessage): string {
  switch (m.kind) {
    case 'hold':
      return `hold [${m.held.join(',')}]${m.standby ? ' standby' : ''}${m.ping === undefined ? '' : ` ping=${m.ping}`}`;
    case 'ip-request':
      return `ip-request ${m.key}`;
    case 'ip-request-resp':
      return `ip-request-resp ${m.key} ${m.ok ? 'OK' : 'bad'}`;
    case 'released':
      return `released [${m.keys.join(',')}]`;
    case 'starting':
      return 'starting';
    case 'resource':
      return `resource ${m.hold}${m.stable ? ' stable' : ''}`;
  }
}

const hold = (held: string[], extra: { standby?: boolean; ping?: number } = {}): ManagerInput => ({
  kind: 'message',
  msg: { kind: 'hold', held, standby: extra.standby ?? false, ping: extra.ping },
});
const msg = (m: ManagerMessage): ManagerInput => ({ kind: 'message', msg: m });
const took = (key: string, owned = true, ok = true): ManagerInput => ({
  kind: 'op-done',
  key,
  op: 'take',
  ok,
  owned,
});
const gave = (key: string, owned = false, ok = true): ManagerInput => ({
  kind: 'op-done',
  key,
  op: 'give',
  ok,
  owned,
});

/** Feed inputs one by one; the effects of each (events included only when `events`). */
function run(
  inputs: readonly ManagerInput[],
  config: Partial<ManagerConfig> = {},
  events = false,
  from?: ManagerState,
): { state: ManagerState; out: string[][] } {
  let state = from ?? initialManagerState({ ...BASE, ...config });
  const out: string[][] = [];
  for (const i of inputs) {
    const r = step(state, i);
    state = r.state;
    out.push(r.effects.filter((e) => events || e.kind !== 'event').map(fmt));
  }
  return { state, out };
}

/** A steady state: both up, alpha holds vipA, beta holds vipB. */
function steady(config: Partial<ManagerConfig> = {}): ManagerState {
  return run([{ kind: 'init', held: ['vipA'] }, { kind: 'peer-up' }, hold(['vipB'])], config).state;
}

test('start: nothing until the peer is heard, then each takes only its own unclaimed groups', () => {
  const { out, state } = run([{ kind: 'init', held: [] }, { kind: 'peer-up' }, hold([]), took('vipA')]);
  assert.deepEqual(out, [[], ['send hold []'], ['take vipA'], ['send hold [vipA]']]);
  assert.equal(state.groups.get('vipA')?.held, true);
  assert.equal(state.groups.get('vipB')?.held, false);
});

test('initdead passes without the peer: take everything (no STONITH configured: warn and go)', () => {
  const { out } = run([{ kind: 'init', held: [] }, { kind: 'peer-dead' }], {}, true);
  assert.deepEqual(out[1], [
    'event no-stonith',
    'take vipA',
    'event taking vipA',
    'take vipB',
    'event taking vipB',
  ]);
});

test('peer death takes the groups it held; its return with auto_failback on hands them back on request', () => {
  const { out, state } = run(
    [
      { kind: 'peer-dead' },
      took('vipB'),
      { kind: 'peer-up' },
      hold([]), // beta is back and holds nothing: alpha keeps vipB until asked
      msg({ kind: 'ip-request', key: 'vipB' }),
      gave('vipB'),
    ],
    {},
    false,
    steady(),
  );
  assert.deepEqual(out, [
    ['take vipB'],
    [],
    ['send hold [vipA,vipB]'],
    [],
    ['give vipB'],
    ['send ip-request-resp vipB OK', 'send hold [vipA]'],
  ]);
  assert.equal(state.groups.get('vipB')?.held, false);
});

test('returning preferred node: auto_failback on asks (and re-asks), off keeps what the peer holds', () => {
  const back = [{ kind: 'init', held: [] }, { kind: 'peer-up' }, hold(['vipA', 'vipB'])] as ManagerInput[];
  const on = run([
    ...back,
    { kind: 'timer', name: 'request:vipA' },
    msg({ kind: 'ip-request-resp', key: 'vipA', ok: true }),
    took('vipA'),
  ]);
  assert.deepEqual(on.out.slice(2), [
    ['send ip-request vipA', 'timer request:vipA 2000'],
    ['send ip-request vipA', 'timer request:vipA 2000'],
    ['cancel request:vipA', 'take vipA'],
    ['send hold [vipA]'],
  ]);
  const off = run([...back, { kind: 'timer', name: 'request:vipA' }], { autoFailback: false });
  assert.deepEqual(off.out.slice(2), [[], []]);
});

test('a request for a group not held is answered at once; for an unknown group with bad', () => {
  const { out } = run(
    [msg({ kind: 'ip-request', key: 'vipB' }), msg({ kind: 'ip-request', key: 'nope' })],
    {},
    false,
    steady(),
  );
  assert.deepEqual(out, [['send ip-request-resp vipB OK'], ['send ip-request-resp nope bad']]);
});

test('standby gives everything and tells the peer; refused while the peer is not up', () => {
  const { out, state } = run([{ kind: 'standby' }, gave('vipA'), hold(['vipB'])], {}, false, steady());
  assert.deepEqual(out, [
    ['send hold [vipA] standby', 'give vipA'],
    ['send released [vipA]', 'send hold [] standby'],
    [], // in standby: no failback request even with auto_failback on
  ]);
  assert.equal(state.standby, true);
  const refused = run([{ kind: 'init', held: ['vipA'] }, { kind: 'standby' }], {}, true);
  assert.deepEqual(refused.out[1], ['event command-refused']);
});

test('the peer released groups (its standby): take them', () => {
  const { out } = run([msg({ kind: 'released', keys: ['vipB'] }), took('vipB')], {}, false, steady());
  assert.deepEqual(out, [['take vipB'], ['send hold [vipA,vipB]']]);
});

test('takeover asks the peer for what it holds, takes the rest directly', () => {
  const s = run([{ kind: 'init', held: [] }, { kind: 'peer-up' }, hold(['vipB'], { standby: false })], {
    autoFailback: false,
  });
  // alpha is up, holds nothing (vipA unclaimed → alpha takes it by the start rule)
  assert.deepEqual(s.out[2], ['take vipA']);
  const { out } = run([took('vipA'), { kind: 'takeover' }], { autoFailback: false }, false, s.state);
  assert.deepEqual(out[1], ['send hold [vipA]', 'send ip-request vipB', 'timer request:vipB 2000']);
  const alone = run([{ kind: 'init', held: [] }, { kind: 'takeover' }]);
  assert.deepEqual(alone.out[1], ['take vipA', 'take vipB']);
});

test('ping vote: fewer gives all up and the peer takes them; equal does nothing; recovery fails back', () => {
  const { out } = run(
    [
      { kind: 'ping', count: 1 },
      hold(['vipB'], { ping: 2 }), // beta reaches more: alpha gives vipA up
      gave('vipA'),
      hold(['vipA', 'vipB'], { ping: 2 }), // beta took it; alpha asks for nothing while it reaches fewer
      { kind: 'ping', count: 2 }, // equal again: auto_failback asks for vipA
    ],
    {},
    false,
    steady(),
  );
  assert.deepEqual(out, [
    ['send hold [vipA] ping=1'],
    ['give vipA'],
    ['send released [vipA]', 'send hold [] ping=1'],
    [],
    ['send hold [] ping=2', 'send ip-request vipA', 'timer request:vipA 2000'],
  ]);
  const equal = run([{ kind: 'ping', count: 2 }, hold(['vipB'], { ping: 2 })], {}, false, steady());
  assert.deepEqual(equal.out, [['send hold [vipA] ping=2'], []]);
});

test("ping vote, winning side: takes the loser's released groups, even those it does not prefer", () => {
  const { out } = run(
    [{ kind: 'ping', count: 3 }, hold(['vipA'], { ping: 1 }), hold([], { ping: 1 })],
    {},
    false,
    run([{ kind: 'init', held: [] }, { kind: 'peer-up' }, hold(['vipA', 'vipB'])], {
      self: 'beta',
      peer: 'alpha',
    }).state,
  );
  // beta (self) holds nothing; alpha holds vipA. Once alpha shows it gave vipA up, beta takes both.
  assert.deepEqual(out, [['send hold [] ping=3'], ['take vipB'], ['take vipA']]);
});

test('STONITH before takeover: waits for success, retries every stonithRetryMs, events per attempt', () => {
  const { out } = run(
    [
      { kind: 'peer-dead' },
      { kind: 'stonith-done', ok: false, detail: 'exit 1' },
      { kind: 'timer', name: 'stonith-retry' },
      { kind: 'stonith-done', ok: true },
    ],
    { stonith: true },
    true,
    steady({ stonith: true }),
  );
  assert.deepEqual(out, [
    ['stonith beta #1', 'event stonith-attempt'],
    ['event stonith-failed', 'timer stonith-retry 5000'],
    ['stonith beta #2', 'event stonith-attempt'],
    ['event stonith-ok', 'take vipB', 'event taking vipB'],
  ]);
});

test('STONITH pending: the peer coming back cancels it; a late result is ignored; takeover is refused', () => {
  const { out } = run(
    [{ kind: 'peer-dead' }, { kind: 'takeover' }, { kind: 'peer-up' }, { kind: 'stonith-done', ok: true }],
    { stonith: true },
    true,
    steady({ stonith: true }),
  );
  assert.deepEqual(out, [
    ['stonith beta #1', 'event stonith-attempt'],
    ['event command-refused'],
    ['event stonith-cancelled', 'cancel stonith-retry', 'send hold [vipA]'],
    [],
  ]);
});

test('no STONITH needed when we already hold every group', () => {
  const s = run([{ kind: 'init', held: ['vipA', 'vipB'] }], { stonith: true }).state;
  const { out } = run([{ kind: 'peer-dead' }], { stonith: true }, true, s);
  assert.deepEqual(out, [[]]);
});

test('split brain heal: the preferred node keeps, the other releases without ARP; keeper re-announces', () => {
  // Both took everything during the partition.
  const partitioned = run([{ kind: 'init', held: ['vipA', 'vipB'] }], {}).state;
  const { out } = run(
    [
      { kind: 'peer-up' },
      hold(['vipA', 'vipB']),
      gave('vipB'),
      hold(['vipB']), // beta released vipA (it is alpha's) and kept vipB
    ],
    {},
    true,
    partitioned,
  );
  assert.deepEqual(out, [
    ['send hold [vipA,vipB]'],
    ['event split-brain vipA', 'event split-brain vipB', 'give vipB', 'event giving vipB'],
    ['event gave vipB', 'send hold [vipA]'],
    ['announce vipA', 'event announce vipA'],
  ]);
});

test('split brain keeper rule, both sides agree: preferred node, else the lower name', () => {
  const groups = [
    { key: 'vipA', preferred: 'alpha' },
    { key: 'vipB', preferred: 'beta' },
    { key: 'vipX', preferred: 'gamma' }, // neither: alpha < beta keeps it
  ];
  const releases = (self: string, peer: string) => {
    const s = run([{ kind: 'init', held: ['vipA', 'vipB', 'vipX'] }], { self, peer, groups }).state;
    const { out } = run(
      [{ kind: 'peer-up' }, hold(['vipA', 'vipB', 'vipX'])],
      { self, peer, groups },
      false,
      s,
    );
    return out[1];
  };
  assert.deepEqual(releases('alpha', 'beta'), ['give vipB']);
  assert.deepEqual(releases('beta', 'alpha'), ['give vipA', 'give vipX']);
});

test('a failed take is not retried automatically (no loop); peer death or takeover tries again', () => {
  const { out, state } = run(
    [
      { kind: 'init', held: [] },
      { kind: 'peer-up' },
      hold([]),
      took('vipA', false, false),
      hold([]),
      { kind: 'takeover' },
    ],
    {},
    true,
  );
  assert.deepEqual(out[3], ['event take-failed vipA', 'send hold []']);
  assert.deepEqual(out[4], []);
  assert.ok(out[5]?.includes('take vipA'));
  assert.equal(state.groups.get('vipA')?.op?.kind, 'take');
});

test('operations never overlap: a give asked during a take waits for it', () => {
  const { out } = run(
    [{ kind: 'peer-dead' }, msg({ kind: 'ip-request', key: 'vipB' }), took('vipB'), gave('vipB')],
    {},
    false,
    steady(),
  );
  assert.deepEqual(out, [
    ['take vipB'],
    [], // beta is dead in our view, but its request arrived: answered once the give is done
    ['give vipB'],
    ['send ip-request-resp vipB OK'],
  ]);
});

test('step never modifies its input state', () => {
  const s = steady();
  const snapshot = JSON.stringify([...s.groups.values()]);
  step(s, { kind: 'peer-dead' });
  step(s, { kind: 'standby' });
  assert.equal(JSON.stringify([...s.groups.values()]), snapshot);
  assert.equal(s.peer, 'up');
});

test("heartbeat's starting is answered with the class of groups held here and whether we are stable", () => {
  const starting = msg({ kind: 'starting' });
  // alpha holds only vipA (its own), beta holds vipB: local, stable.
  assert.deepEqual(run([starting], {}, false, steady()).out, [['send resource local stable']]);
  // Nothing held: none.
  const empty = run([{ kind: 'init', held: [] }, { kind: 'peer-up' }]).state;
  assert.deepEqual(run([starting], {}, false, empty).out, [['send resource none stable']]);
  // Peer dead: taking both (one take in flight each) → all, not stable; once both are done → all, stable.
  const taking = run([{ kind: 'init', held: ['vipA'] }, { kind: 'peer-dead' }]).state;
  assert.deepEqual(run([starting], {}, false, taking).out, [['send resource all']]);
  const done = run([took('vipB')], {}, false, taking).state;
  assert.deepEqual(run([starting], {}, false, done).out, [['send resource all stable']]);
  // Holding only the peer's group: foreign.
  const foreign = run([{ kind: 'init', held: ['vipB'] }, { kind: 'peer-up' }]).state;
  assert.deepEqual(run([starting], {}, false, foreign).out[0], ['send resource foreign stable']);
  // heartbeat's own resource messages change nothing.
  const r = run([msg({ kind: 'resource', hold: 'all', stable: true })], {}, false, steady());
  assert.deepEqual(r.out, [[]]);
  assert.deepEqual(r.state, steady());
});
