import { checkIntervalMs, type Timing } from './timing.ts';

/**
 * Cluster membership as a pure state machine (seed-system.md §2.3 death rule; docs/cluster.md). Inputs are
 * heartbeat arrivals (`heard`) and periodic checks (`check`), each with the caller's monotonic `now` in ms;
 * outputs are a new state and events. No clock, timer or I/O in here.
 *
 * - A peer is alive while ANY link carries its messages; it is declared dead exactly once when it has been
 *   silent on every link for longer than deadtime (never heard: longer than initdead since start). It comes
 *   back (`peer-up`, reason `returned`) on its next message.
 * - Each (peer, link) pair follows the same rule separately: `link-dead` / `link-up`. A link dying while
 *   another still carries the peer is only a link event, never a peer death.
 * - `late-heartbeat`: a fresh message whose gap since the peer's previous one exceeds warntime.
 * - Stall rule: `check` knows when it should have run (previous check + interval). Run more than deadtime
 *   late (our own loop or process was stalled, or the clock jumped backwards) it declares nothing, reports
 *   `stalled`, and measures silence again from now: a peer must then stay silent a fresh deadtime before it
 *   is declared dead. A check late by less (over one interval) defers its decisions to the next check, so
 *   messages queued during the hiccup are read first.
 */

export type LinkStatus = 'init' | 'up' | 'dead';
export type PeerStatus = 'init' | 'up' | 'dead';

export interface LinkView {
  readonly status: LinkStatus;
  /** `now` of the last message on this link; undefined until the first. */
  readonly lastHeardAt: number | undefined;
}

export interface PeerView {
  readonly status: PeerStatus;
  /** `now` of the last fresh (non-duplicate) message on any link. */
  readonly lastHeardAt: number | undefined;
  readonly links: ReadonlyMap<string, LinkView>;
}

export interface MembershipState {
  readonly timing: Timing;
  readonly intervalMs: number;
  readonly startedAt: number;
  /** Silence is measured from no earlier than this: the start, or the end of our last stall. */
  readonly windowStart: number;
  readonly lastCheckAt: number;
  /** The previous check was late and decided nothing; this one decides. */
  readonly deferred: boolean;
  readonly peers: ReadonlyMap<string, PeerView>;
}

export type DeathReason = 'timeout' | 'never-heard';

export type MembershipEvent =
  | {
      readonly kind: 'peer-up';
      readonly peer: string;
      readonly link: string;
      readonly at: number;
      readonly reason: 'first-heartbeat' | 'returned';
    }
  | {
      readonly kind: 'peer-dead';
      readonly peer: string;
      readonly at: number;
      readonly silentMs: number;
      readonly reason: DeathReason;
    }
  | { readonly kind: 'link-up'; readonly peer: string; readonly link: string; readonly at: number }
  | {
      readonly kind: 'link-dead';
      readonly peer: string;
      readonly link: string;
      readonly at: number;
      readonly silentMs: number;
      readonly reason: DeathReason;
    }
  | {
      readonly kind: 'late-heartbeat';
      readonly peer: string;
      readonly link: string;
      readonly at: number;
      readonly gapMs: number;
    }
  | {
      readonly kind: 'stalled';
      readonly at: number;
      /** How late the check ran (negative: the clock went backwards by that much). */
      readonly lateMs: number;
    };

export interface MembershipStep {
  readonly state: MembershipState;
  readonly events: readonly MembershipEvent[];
}

export interface Arrival {
  readonly peer: string;
  readonly link: string;
  readonly now: number;
  /** False for a duplicate (same seq seen on another link): it refreshes the link only, and only while the
   * peer is up, so a replayed packet cannot keep a dead peer's link alive. */
  readonly fresh: boolean;
}

const NEW_LINK: LinkView = { status: 'init', lastHeardAt: undefined };

export function initialMembership(
  timing: Timing,
  peers: readonly string[],
  links: readonly string[],
  now: number,
): MembershipState {
  const map = new Map<string, PeerView>();
  for (const p of peers) {
    map.set(p, { status: 'init', lastHeardAt: undefined, links: new Map(links.map((l) => [l, NEW_LINK])) });
  }
  return {
    timing,
    intervalMs: checkIntervalMs(timing),
    startedAt: now,
    windowStart: now,
    lastCheckAt: now,
    deferred: false,
    peers: map,
  };
}

/** A message from `peer` on `link`, already accepted (or a duplicate) by the receive filter. */
export function heard(s: MembershipState, a: Arrival): MembershipStep {
  const p = s.peers.get(a.peer);
  if (p === undefined) return { state: s, events: [] };
  if (!a.fresh && p.status !== 'up') return { state: s, events: [] };
  const events: MembershipEvent[] = [];
  const link = p.links.get(a.link) ?? NEW_LINK;
  if (link.status !== 'up') events.push({ kind: 'link-up', peer: a.peer, link: a.link, at: a.now });
  const links = new Map(p.links).set(a.link, { status: 'up', lastHeardAt: a.now });
  if (!a.fresh) return { state: withPeer(s, a.peer, { ...p, links }), events };
  const peerEvent = peerArrivalEvent(s, p, a);
  if (peerEvent !== undefined) events.push(peerEvent);
  return { state: withPeer(s, a.peer, { status: 'up', lastHeardAt: a.now, links }), events };
}

function peerArrivalEvent(s: MembershipState, p: PeerView, a: Arrival): MembershipEvent | undefined {
  const at = a.now;
  if (p.status === 'init')
    return { kind: 'peer-up', peer: a.peer, link: a.link, at, reason: 'first-heartbeat' };
  if (p.status === 'dead') return { kind: 'peer-up', peer: a.peer, link: a.link, at, reason: 'returned' };
  const last = p.lastHeardAt;
  // A gap that spans our own stall says nothing about the peer.
  if (last === undefined || last < s.windowStart) return undefined;
  const gapMs = at - last;
  return gapMs > s.timing.warntimeMs
    ? { kind: 'late-heartbeat', peer: a.peer, link: a.link, at, gapMs }
    : undefined;
}

/** The periodic check, due every `state.intervalMs` after the previous one. */
export function check(s: MembershipState, now: number): MembershipStep {
  const lateMs = now - (s.lastCheckAt + s.intervalMs);
  if (now < s.lastCheckAt || lateMs > s.timing.deadtimeMs) {
    const state = { ...restartWindow(s, now), lastCheckAt: now, deferred: false };
    return {
      state,
      events: [{ kind: 'stalled', at: now, lateMs: now < s.lastCheckAt ? now - s.lastCheckAt : lateMs }],
    };
  }
  if (lateMs > s.intervalMs && !s.deferred) {
    return { state: { ...s, lastCheckAt: now, deferred: true }, events: [] };
  }
  const events: MembershipEvent[] = [];
  const peers = new Map<string, PeerView>();
  for (const [name, p] of s.peers) peers.set(name, decidePeer(s, name, p, now, events));
  return { state: { ...s, peers, lastCheckAt: now, deferred: false }, events };
}

function decidePeer(
  s: MembershipState,
  name: string,
  p: PeerView,
  now: number,
  events: MembershipEvent[],
): PeerView {
  let links: Map<string, LinkView> | undefined;
  for (const [link, l] of p.links) {
    const death = silence(s, l.status, l.lastHeardAt, now);
    if (death === undefined) continue;
    events.push({ kind: 'link-dead', peer: name, link, at: now, ...death });
    links ??= new Map(p.links);
    links.set(link, { ...l, status: 'dead' });
  }
  const next: PeerView = links === undefined ? p : { ...p, links };
  const death = silence(s, p.status, p.lastHeardAt, now);
  if (death === undefined) return next;
  events.push({ kind: 'peer-dead', peer: name, at: now, ...death });
  return { ...next, status: 'dead' };
}

/** Whether something last heard at `last` (never: undefined) is now past its deadline, and why. */
function silence(
  s: MembershipState,
  status: LinkStatus,
  last: number | undefined,
  now: number,
): { silentMs: number; reason: DeathReason } | undefined {
  if (status === 'dead') return undefined;
  const { deadtimeMs, initdeadMs } = s.timing;
  if (last === undefined) {
    const deadline = Math.max(s.startedAt + initdeadMs, s.windowStart + deadtimeMs);
    return now > deadline ? { silentMs: now - s.startedAt, reason: 'never-heard' } : undefined;
  }
  return now - Math.max(last, s.windowStart) > deadtimeMs
    ? { silentMs: now - last, reason: 'timeout' }
    : undefined;
}

/** After a stall: measure silence from `now`; times from a clock that went backwards are clamped to it. */
function restartWindow(s: MembershipState, now: number): MembershipState {
  const clamp = (t: number | undefined) => (t === undefined ? t : Math.min(t, now));
  const peers = new Map<string, PeerView>();
  for (const [name, p] of s.peers) {
    const links = new Map<string, LinkView>();
    for (const [l, v] of p.links) links.set(l, { ...v, lastHeardAt: clamp(v.lastHeardAt) });
    peers.set(name, { ...p, lastHeardAt: clamp(p.lastHeardAt), links });
  }
  return { ...s, peers, windowStart: now, startedAt: Math.min(s.startedAt, now) };
}

function withPeer(s: MembershipState, name: string, p: PeerView): MembershipState {
  return { ...s, peers: new Map(s.peers).set(name, p) };
}
