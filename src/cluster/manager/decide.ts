import type { ManagerMessage, ResourceClass } from './messages.ts';
import { type PingVote, pingVote } from './ping-vote.ts';
import { splitBrainKeeper } from './split-brain.ts';

/**
 * The resource manager's decisions as a pure state machine (docs/cluster.md "Resources", "Failback",
 * "Ping nodes", "STONITH", "Split brain"; seed-system.md §2.8–2.12). Two nodes, as heartbeat's haresources
 * mode: `self` and one `peer`. `step(state, input)` returns the next state and the effects to perform;
 * the effect runner (manager.ts) performs them and feeds their outcomes back as inputs. No clock, timer or
 * I/O in here.
 *
 * Per group the state keeps what we hold (`held`, last confirmed by the group's first resource), what we
 * want (`want`) and at most one operation in flight; whenever none is in flight and held ≠ want, the next
 * take or give is issued (reconcile). Rules, applied after every input ("reconsider"), once the peer's
 * first hold message since it came up is known:
 * - split brain: a group both hold → the keeper (split-brain.ts) keeps it, the other gives it;
 * - ping vote: reaching fewer ping nodes than the peer → give every group (and take nothing automatically);
 * - unclaimed: a group neither holds is taken by its preferred node, or by the other node when the
 *   preferred one is in standby or lost the ping vote;
 * - auto_failback on: when the peer comes up (we start, or it returns) and when we stop losing the ping
 *   vote, the preferred node asks for its groups back (`ip-request`), re-asking every `requestRetryMs`
 *   while the peer still holds them. Heartbeat 2000 took the group after 10 s regardless; we never take a
 *   group the live peer says it holds. A group we handed to the peer is never reclaimed as "unclaimed"
 *   while the handoff is under way.
 * Peer death: take every group — after a successful STONITH reset when a device is configured (retried every
 * `stonithRetryMs`; later heartbeat, §2.11), at once otherwise.
 */
export interface ManagerConfig {
  readonly self: string;
  readonly peer: string;
  /** Groups as haresources lists them: key and preferred node. */
  readonly groups: readonly { readonly key: string; readonly preferred: string }[];
  readonly autoFailback: boolean;
  readonly stonith: boolean;
  readonly requestRetryMs: number;
  readonly stonithRetryMs: number;
}

export interface GroupState {
  readonly key: string;
  readonly preferred: string;
  held: boolean;
  want: boolean;
  /** Why `want` last changed. */
  reason: string;
  op: { readonly kind: 'take' | 'give'; readonly reason: string } | undefined;
  /** An ip-request is outstanding. */
  requested: boolean;
  /** Split brain, we are the keeper: re-announce once the peer shows it released. */
  contested: boolean;
  /** We gave it to the peer (request, standby, lost vote, split brain): never reclaim it as unclaimed until
   * the peer's hold shows it, the peer dies, or a takeover command. */
  handedOff: boolean;
  /** The peer asked for it (ip-request): answer once our give is done. */
  owesResp: boolean;
  /** The last automatic take failed: no automatic retake until peer death or a takeover command. */
  failed: boolean;
}

export type PeerStatus = 'unknown' | 'up' | 'dead';

export interface ManagerState {
  readonly config: ManagerConfig;
  peer: PeerStatus;
  /** A hold message has arrived since the peer last came up. */
  peerKnown: boolean;
  peerHeld: Set<string>;
  peerStandby: boolean;
  peerPing: number | undefined;
  myPing: number | undefined;
  standby: boolean;
  /** auto_failback: ask for our preferred groups at the next reconsider (set when the peer comes up and
   * when we stop losing the ping vote; heartbeat's req_our_resources runs once at start, not forever). */
  failbackDue: boolean;
  vote: PingVote;
  stonith: { attempt: number } | undefined;
  groups: Map<string, GroupState>;
}

export type ManagerInput =
  | { readonly kind: 'init'; readonly held: readonly string[] }
  | { readonly kind: 'peer-up' }
  | { readonly kind: 'peer-dead' }
  | { readonly kind: 'message'; readonly msg: ManagerMessage }
  | { readonly kind: 'standby' }
  | { readonly kind: 'takeover' }
  | { readonly kind: 'ping'; readonly count: number }
  | {
      readonly kind: 'op-done';
      readonly key: string;
      readonly op: 'take' | 'give';
      readonly ok: boolean;
      readonly owned: boolean;
      readonly detail?: string;
    }
  | { readonly kind: 'stonith-done'; readonly ok: boolean; readonly detail?: string }
  | { readonly kind: 'timer'; readonly name: string };

export type ManagerEventKind =
  | 'taking'
  | 'giving'
  | 'took'
  | 'gave'
  | 'take-failed'
  | 'give-failed'
  | 'failback-request'
  | 'request-received'
  | 'split-brain'
  | 'announce'
  | 'ping-vote'
  | 'standby'
  | 'takeover'
  | 'command-refused'
  | 'stonith-attempt'
  | 'stonith-ok'
  | 'stonith-failed'
  | 'stonith-cancelled'
  | 'no-stonith';

export interface ManagerEvent {
  readonly kind: ManagerEventKind;
  readonly reason: string;
  readonly group?: string;
  readonly attempt?: number;
  readonly detail?: string;
}

export type ManagerEffect =
  | { readonly kind: 'take'; readonly key: string }
  | { readonly kind: 'give'; readonly key: string }
  | { readonly kind: 'announce'; readonly key: string }
  | { readonly kind: 'send'; readonly msg: ManagerMessage }
  | { readonly kind: 'stonith'; readonly node: string; readonly attempt: number }
  | { readonly kind: 'set-timer'; readonly name: string; readonly ms: number }
  | { readonly kind: 'cancel-timer'; readonly name: string }
  | { readonly kind: 'event'; readonly event: ManagerEvent };

export interface ManagerStep {
  readonly state: ManagerState;
  readonly effects: readonly ManagerEffect[];
}

export const STONITH_TIMER = 'stonith-retry';
export const requestTimer = (key: string) => `request:${key}`;

export function initialManagerState(config: ManagerConfig): ManagerState {
  const groups = new Map<string, GroupState>();
  for (const g of config.groups) {
    groups.set(g.key, {
      key: g.key,
      preferred: g.preferred,
      held: false,
      want: false,
      reason: 'init',
      op: undefined,
      requested: false,
      contested: false,
      failed: false,
      handedOff: false,
      owesResp: false,
    });
  }
  return {
    config,
    peer: 'unknown',
    peerKnown: false,
    peerHeld: new Set(),
    peerStandby: false,
    peerPing: undefined,
    myPing: undefined,
    standby: false,
    failbackDue: false,
    vote: 'unknown',
    stonith: undefined,
    groups,
  };
}

/** One input → next state + effects. The input state is not modified. */
export function step(state: ManagerState, input: ManagerInput): ManagerStep {
  const s = clone(state);
  const out: ManagerEffect[] = [];
  const fx = new Effects(s, out);
  apply(fx, input);
  if (input.kind !== 'init') reconsider(fx);
  reconcile(fx);
  return { state: s, effects: out };
}

/** Effect and event helpers over the draft state. */
class Effects {
  constructor(
    readonly s: ManagerState,
    readonly out: ManagerEffect[],
  ) {}

  event(kind: ManagerEventKind, reason: string, extra: Omit<ManagerEvent, 'kind' | 'reason'> = {}): void {
    this.out.push({ kind: 'event', event: { kind, reason, ...extra } });
  }

  send(msg: ManagerMessage): void {
    this.out.push({ kind: 'send', msg });
  }

  sendHold(): void {
    if (this.s.peer !== 'up') return;
    const held = [...this.s.groups.values()].filter(holding).map((g) => g.key);
    this.send({ kind: 'hold', held, standby: this.s.standby, ping: this.s.myPing });
  }

  want(g: GroupState, want: boolean, reason: string): void {
    if (g.want === want) return;
    g.want = want;
    g.reason = reason;
  }

  request(g: GroupState, reason: string): void {
    g.requested = true;
    this.send({ kind: 'ip-request', key: g.key });
    this.out.push({ kind: 'set-timer', name: requestTimer(g.key), ms: this.s.config.requestRetryMs });
    this.event('failback-request', reason, { group: g.key });
  }

  cancelRequest(g: GroupState): void {
    if (!g.requested) return;
    g.requested = false;
    this.out.push({ kind: 'cancel-timer', name: requestTimer(g.key) });
  }
}

/** Held here, or being taken: what a hold message lists. */
function holding(g: GroupState): boolean {
  return g.op?.kind === 'take' || g.held;
}

function apply(fx: Effects, input: ManagerInput): void {
  const s = fx.s;
  switch (input.kind) {
    case 'init':
      for (const key of input.held) {
        const g = s.groups.get(key);
        if (g !== undefined) Object.assign(g, { held: true, want: true, reason: 'held at start' });
      }
      return;
    case 'peer-up':
      peerUp(fx);
      return;
    case 'peer-dead':
      peerDead(fx);
      return;
    case 'message':
      onMessage(fx, input.msg);
      return;
    case 'standby':
      standby(fx);
      return;
    case 'takeover':
      takeover(fx);
      return;
    case 'ping':
      if (s.myPing === input.count) return;
      s.myPing = input.count;
      fx.sendHold();
      return;
    case 'op-done':
      opDone(fx, input);
      return;
    case 'stonith-done':
      stonithDone(fx, input.ok, input.detail);
      return;
    case 'timer':
      timer(fx, input.name);
      return;
  }
}

function peerUp(fx: Effects): void {
  const s = fx.s;
  if (s.peer === 'up') return;
  s.peer = 'up';
  s.peerKnown = false;
  s.failbackDue = true;
  if (s.stonith !== undefined) {
    fx.event('stonith-cancelled', 'peer is alive again', { attempt: s.stonith.attempt });
    s.stonith = undefined;
    fx.out.push({ kind: 'cancel-timer', name: STONITH_TIMER });
  }
  fx.sendHold();
}

function peerDead(fx: Effects): void {
  const s = fx.s;
  if (s.peer === 'dead') return;
  s.peer = 'dead';
  s.peerKnown = false;
  s.peerHeld = new Set();
  s.peerStandby = false;
  s.peerPing = undefined;
  s.vote = 'unknown';
  for (const g of s.groups.values()) {
    fx.cancelRequest(g);
    g.contested = false;
    g.owesResp = false;
    g.handedOff = false;
  }
  const missing = [...s.groups.values()].some((g) => !g.want);
  if (!missing) return;
  if (!s.config.stonith) {
    fx.event('no-stonith', 'no STONITH device configured; taking over without fencing the peer');
    takeAll(fx, 'peer-dead');
    return;
  }
  if (s.stonith === undefined) resetPeer(fx, 1);
}

function resetPeer(fx: Effects, attempt: number): void {
  fx.s.stonith = { attempt };
  fx.out.push({ kind: 'stonith', node: fx.s.config.peer, attempt });
  fx.event('stonith-attempt', `resetting ${fx.s.config.peer} before takeover`, { attempt });
}

function stonithDone(fx: Effects, ok: boolean, detail: string | undefined): void {
  const s = fx.s;
  if (s.stonith === undefined || s.peer !== 'dead') return; // cancelled: the peer came back
  const { attempt } = s.stonith;
  const d = detail === undefined ? {} : { detail };
  if (ok) {
    s.stonith = undefined;
    fx.event('stonith-ok', `${s.config.peer} reset`, { attempt, ...d });
    takeAll(fx, 'peer-dead');
    return;
  }
  fx.event('stonith-failed', `reset of ${s.config.peer} failed; retrying in ${s.config.stonithRetryMs} ms`, {
    attempt,
    ...d,
  });
  fx.out.push({ kind: 'set-timer', name: STONITH_TIMER, ms: s.config.stonithRetryMs });
}

function takeAll(fx: Effects, reason: string): void {
  for (const g of fx.s.groups.values()) {
    g.failed = false;
    fx.want(g, true, reason);
  }
}

function timer(fx: Effects, name: string): void {
  const s = fx.s;
  if (name === STONITH_TIMER) {
    if (s.stonith !== undefined && s.peer === 'dead') resetPeer(fx, s.stonith.attempt + 1);
    return;
  }
  const g = [...s.groups.values()].find((x) => requestTimer(x.key) === name);
  if (g === undefined || !g.requested) return;
  g.requested = false;
  if (s.peer === 'up' && s.peerHeld.has(g.key) && !g.want) fx.request(g, 'no answer yet; asking again');
}

function onMessage(fx: Effects, m: ManagerMessage): void {
  const s = fx.s;
  switch (m.kind) {
    case 'hold':
      s.peerKnown = true;
      s.peerHeld = new Set(m.held);
      s.peerStandby = m.standby;
      s.peerPing = m.ping;
      for (const g of s.groups.values()) if (s.peerHeld.has(g.key)) g.handedOff = false;
      return;
    case 'ip-request':
      ipRequest(fx, m.key);
      return;
    case 'ip-request-resp': {
      const g = s.groups.get(m.key);
      if (g === undefined) return;
      fx.cancelRequest(g);
      if (!m.ok) return;
      s.peerHeld.delete(m.key);
      g.failed = false;
      fx.want(g, true, 'peer released it on request');
      return;
    }
    case 'released':
      for (const key of m.keys) {
        s.peerHeld.delete(key);
        const g = s.groups.get(key);
        if (g !== undefined && s.vote !== 'fewer' && !g.failed) fx.want(g, true, 'peer released it');
      }
      return;
    case 'starting':
      fx.send({ kind: 'resource', hold: resourceClass(s), stable: stableHere(s) });
      return;
    case 'resource':
      return; // heartbeat's coarse view of what it holds; not read (messages.ts)
  }
}

/** heartbeat's `rsc_hold` for what we hold or are taking: `local` = groups preferring us, `foreign` = others. */
export function resourceClass(s: ManagerState): ResourceClass {
  const held = [...s.groups.values()].filter(holding);
  const local = held.some((g) => g.preferred === s.config.self);
  const foreign = held.some((g) => g.preferred !== s.config.self);
  if (local && foreign) return 'all';
  if (local) return 'local';
  return foreign ? 'foreign' : 'none';
}

/** Stable in heartbeat's sense: no take or give in flight or pending. */
function stableHere(s: ManagerState): boolean {
  return [...s.groups.values()].every((g) => g.op === undefined && g.held === g.want);
}

function ipRequest(fx: Effects, key: string): void {
  const g = fx.s.groups.get(key);
  fx.event('request-received', `${fx.s.config.peer} asks for ${key}`, { group: key });
  if (g === undefined) {
    fx.send({ kind: 'ip-request-resp', key, ok: false });
    return;
  }
  if (!holding(g) && !g.want) {
    fx.send({ kind: 'ip-request-resp', key, ok: true });
    return;
  }
  g.owesResp = true;
  fx.cancelRequest(g);
  fx.want(g, false, 'ip-request');
}

function standby(fx: Effects): void {
  const s = fx.s;
  if (s.peer !== 'up') {
    fx.event('command-refused', 'standby: the peer is not up, nobody could take the resources');
    return;
  }
  s.standby = true;
  fx.event('standby', 'standby command: giving every group to the peer');
  for (const g of s.groups.values()) {
    fx.cancelRequest(g);
    fx.want(g, false, 'standby');
  }
  fx.sendHold();
}

function takeover(fx: Effects): void {
  const s = fx.s;
  if (s.stonith !== undefined) {
    fx.event('command-refused', 'takeover: waiting for the STONITH reset of the peer');
    return;
  }
  s.standby = false;
  fx.event('takeover', 'takeover command: taking every group');
  fx.sendHold(); // first: the peer must see we left standby before our requests arrive
  for (const g of s.groups.values()) {
    g.failed = false;
    g.handedOff = false;
    if (g.want) continue;
    if (s.peer === 'up' && s.peerHeld.has(g.key)) {
      if (!g.requested) fx.request(g, 'takeover command');
    } else fx.want(g, true, 'takeover');
  }
}

function opDone(fx: Effects, d: Extract<ManagerInput, { kind: 'op-done' }>): void {
  const g = fx.s.groups.get(d.key);
  if (g === undefined || g.op?.kind !== d.op) return;
  const reason = g.op.reason;
  g.op = undefined;
  g.held = d.owned;
  const extra = { group: g.key, ...(d.detail === undefined ? {} : { detail: d.detail }) };
  if (d.ok) fx.event(d.op === 'take' ? 'took' : 'gave', reason, extra);
  else {
    fx.event(d.op === 'take' ? 'take-failed' : 'give-failed', reason, extra);
    if (g.want === (d.op === 'take')) fx.want(g, d.owned, `${d.op} failed`);
    if (d.op === 'take') g.failed = true;
  }
  if (d.op === 'give' && !d.owned) g.handedOff = true;
  if (d.op === 'give' && g.owesResp) {
    g.owesResp = false;
    fx.send({ kind: 'ip-request-resp', key: g.key, ok: !d.owned });
  } else if (d.op === 'give' && !d.owned && (reason === 'standby' || reason === 'ping vote lost')) {
    fx.send({ kind: 'released', keys: [g.key] });
  }
  fx.sendHold();
}

/** The standing rules, re-applied after every input (see the header). */
function reconsider(fx: Effects): void {
  const s = fx.s;
  if (s.peer !== 'up' || !s.peerKnown) return;
  voteOnPing(fx);
  for (const g of s.groups.values()) {
    splitBrain(fx, g);
    claim(fx, g);
  }
  if (s.vote !== 'fewer') s.failbackDue = false;
}

function voteOnPing(fx: Effects): void {
  const s = fx.s;
  const vote = pingVote(s.myPing, s.peerPing);
  if (vote !== s.vote) {
    if (s.vote === 'fewer') s.failbackDue = true;
    s.vote = vote;
    fx.event('ping-vote', `we reach ${s.myPing ?? '?'} ping nodes, the peer ${s.peerPing ?? '?'}: ${vote}`);
  }
  if (vote !== 'fewer') return;
  for (const g of s.groups.values()) {
    fx.cancelRequest(g);
    fx.want(g, false, 'ping vote lost');
  }
}

function splitBrain(fx: Effects, g: GroupState): void {
  const { self, peer } = fx.s.config;
  const both = fx.s.peerHeld.has(g.key) && (holding(g) || g.want);
  if (g.contested && !fx.s.peerHeld.has(g.key)) {
    g.contested = false;
    if (holding(g)) {
      fx.out.push({ kind: 'announce', key: g.key });
      fx.event('announce', 'split brain healed: the peer released it; re-announcing', { group: g.key });
    }
  }
  if (!both) return;
  const keeper = splitBrainKeeper(g.preferred, self, peer);
  if (keeper === self) {
    if (g.contested) return;
    g.contested = true;
    fx.event('split-brain', `both nodes hold ${g.key}; ${self} keeps it`, { group: g.key });
    return;
  }
  fx.event('split-brain', `both nodes hold ${g.key}; ${keeper} keeps it, releasing`, { group: g.key });
  fx.cancelRequest(g);
  fx.want(g, false, 'split brain: the peer keeps it');
}

function claim(fx: Effects, g: GroupState): void {
  const s = fx.s;
  if (g.want || g.failed || g.owesResp || g.handedOff || s.vote === 'fewer') return;
  const { self, peer } = s.config;
  if (!s.peerHeld.has(g.key)) {
    const mine = g.preferred === self && !s.standby;
    const orphan = g.preferred !== self && !s.standby && (s.peerStandby || s.vote === 'more');
    const stray = g.preferred !== self && g.preferred !== peer && !s.standby && self < peer;
    if (mine || orphan || stray) fx.want(g, true, 'unclaimed');
    return;
  }
  if (s.config.autoFailback && s.failbackDue && g.preferred === self && !s.standby && !g.requested) {
    fx.request(g, 'auto_failback: the preferred node asks for its group');
  }
}

/** Issue the next take or give wherever none is in flight and held ≠ want. */
function reconcile(fx: Effects): void {
  for (const g of fx.s.groups.values()) {
    if (g.op !== undefined || g.held === g.want) continue;
    const kind = g.want ? 'take' : 'give';
    g.op = { kind, reason: g.reason };
    fx.out.push({ kind, key: g.key });
    fx.event(kind === 'take' ? 'taking' : 'giving', g.reason, { group: g.key });
  }
}

function clone(s: ManagerState): ManagerState {
  const groups = new Map<string, GroupState>();
  for (const [k, g] of s.groups) groups.set(k, { ...g });
  return { ...s, peerHeld: new Set(s.peerHeld), groups };
}
