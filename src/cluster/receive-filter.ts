import type { AuthKeys, AuthReject } from './auth.ts';
import type { DecodeReason } from './codec-result.ts';
import { F, isNoSeqType, msgDest, msgSrc, msgType, parseHex, T } from './message-fields.ts';
import { getString, type Message } from './message.ts';
import { decodePacket, type Packet, verifyPacket, type WireFormat } from './packet.ts';
import { rexmitRequest } from './rexmit.ts';
import {
  advanceSeq,
  DEFAULT_SEQ_LIMITS,
  EMPTY_SEQ_TRACK,
  forgetMissing,
  type SeqLimits,
  type SeqTrack,
} from './seq-track.ts';

/**
 * The receive rules (heartbeat `should_drop_message`, seed-system.md §2.2; docs/cluster-protocol.md), as one
 * pure transition: (state, packet, config) → verdict + new state + actions. In order:
 *
 *  1. decode (either format)                          → reject `malformed`
 *  2. authenticate with any known key                  → reject `unauthenticated` | `bad-auth-format` |
 *                                                        `unknown-key` | `bad-digest`
 *  3. `src` present; ours → ignore `own-message`; not a configured node → reject `no-source` | `unknown-node`
 *  4. `NS_` types carry no seq: accepted when for us (a NAK also stops us waiting for that seq)
 *  5. `seq` (hex, > 0) and `hg` (hex; absent = 0)      → reject `bad-sequence` | `bad-generation`
 *  6. hg below the last seen                          → reject `replayed-generation`;
 *     hg above it                                     → the peer restarted: forget its seqs, report it
 *  7. seq against the peer's track (seq-track.ts)     → reject `duplicate` | `replayed-sequence`, or accept,
 *                                                        asking for a gap with an NS_rexmit message
 *  8. `dest` names another node                       → ignore `not-for-us` (after the seq accounting)
 *
 * A rejected packet never changes the state: the step returns the very same state object.
 * Deviation from heartbeat: a higher generation on ANY sequenced message is a restart (heartbeat looks only
 * at `status` messages).
 */

export interface ReceiveConfig {
  /** Our node name, lower case (heartbeat lower-cases `uname -n`). */
  readonly localNode: string;
  /** Every configured node name, lower case; may include ours. */
  readonly nodes: ReadonlySet<string>;
  readonly keys: AuthKeys;
  readonly limits?: SeqLimits;
}

export interface PeerTrack extends SeqTrack {
  /** Highest generation (`hg`) seen; 0 before any. */
  readonly generation: number;
  /** Medium of the last accepted sequenced message. */
  readonly lastLink: string;
  /** `now` of the last accepted sequenced message (the caller's monotonic clock, ms). */
  readonly lastAcceptedAt: number;
}

export interface ReceiveState {
  readonly peers: ReadonlyMap<string, PeerTrack>;
}

export const INITIAL_RECEIVE_STATE: ReceiveState = { peers: new Map() };

export interface ReceiveInput {
  readonly bytes: Uint8Array;
  /** The medium it came in on (e.g. `bcast eth0`, `serial /dev/ttyS0`). */
  readonly link: string;
  /** Monotonic milliseconds. */
  readonly now: number;
}

export type RejectReason =
  | 'malformed'
  | AuthReject
  | 'no-source'
  | 'unknown-node'
  | 'bad-sequence'
  | 'bad-generation'
  | 'replayed-generation'
  | 'duplicate'
  | 'replayed-sequence';

export const REJECT_REASONS: readonly RejectReason[] = [
  'malformed',
  'unauthenticated',
  'bad-auth-format',
  'unknown-key',
  'bad-digest',
  'no-source',
  'unknown-node',
  'bad-sequence',
  'bad-generation',
  'replayed-generation',
  'duplicate',
  'replayed-sequence',
];

export type Verdict =
  | {
      readonly kind: 'accept';
      readonly from: string;
      readonly message: Message;
      readonly format: WireFormat;
      readonly seq: number | undefined;
    }
  | { readonly kind: 'ignore'; readonly reason: 'own-message' | 'not-for-us'; readonly from: string }
  | {
      readonly kind: 'reject';
      readonly reason: RejectReason;
      readonly detail: string;
      /** Set once the sender is authenticated and known (duplicates still show the link is alive). */
      readonly from?: string;
      readonly decodeReason?: DecodeReason;
    };

export type ReceiveAction =
  | {
      readonly kind: 'request-rexmit';
      readonly peer: string;
      readonly firstSeq: number;
      readonly lastSeq: number;
      readonly message: Message;
    }
  | { readonly kind: 'peer-restarted'; readonly peer: string; readonly from: number; readonly to: number }
  | { readonly kind: 'resync'; readonly peer: string; readonly fromSeq: number; readonly toSeq: number }
  | { readonly kind: 'recovered'; readonly peer: string; readonly seq: number }
  | { readonly kind: 'packet-lost'; readonly peer: string; readonly seq: number };

export interface ReceiveStep {
  readonly state: ReceiveState;
  readonly verdict: Verdict;
  readonly actions: readonly ReceiveAction[];
}

export function receive(state: ReceiveState, input: ReceiveInput, config: ReceiveConfig): ReceiveStep {
  const d = decodePacket(input.bytes);
  if (!d.ok)
    return reject(state, 'malformed', `${d.reason} at byte ${d.offset}: ${d.detail}`, undefined, d.reason);
  const auth = verifyPacket(d.value, config.keys);
  if (!auth.ok) return reject(state, auth.reason, `authentication failed (${auth.reason})`);
  const src = msgSrc(d.value.message)?.toLowerCase();
  if (src === undefined) return reject(state, 'no-source', 'no src field');
  if (src === config.localNode) return step(state, { kind: 'ignore', reason: 'own-message', from: src });
  if (!config.nodes.has(src)) return reject(state, 'unknown-node', `node "${src}" is not configured`);
  const type = msgType(d.value.message) ?? '';
  if (isNoSeqType(type)) return receiveUnsequenced(state, d.value, src, type, config);
  return receiveSequenced(state, d.value, src, input, config);
}

function receiveUnsequenced(
  state: ReceiveState,
  p: Packet,
  src: string,
  type: string,
  config: ReceiveConfig,
): ReceiveStep {
  const m = p.message;
  const dest = msgDest(m)?.toLowerCase();
  if (type === T.nakRexmit) {
    const seq = parseHex(getString(m, F.firstseq));
    if (seq === undefined || seq <= 0)
      return reject(state, 'bad-sequence', 'NS_nak_rexmit without a valid firstseq', src);
    const track = state.peers.get(src);
    const next =
      track === undefined ? state : withPeer(state, src, { ...track, ...forgetMissing(track, seq) });
    return step(next, accept(p, src, undefined), [{ kind: 'packet-lost', peer: src, seq }]);
  }
  if (dest !== undefined && dest !== config.localNode) {
    return step(state, { kind: 'ignore', reason: 'not-for-us', from: src });
  }
  return step(state, accept(p, src, undefined));
}

function receiveSequenced(
  state: ReceiveState,
  p: Packet,
  src: string,
  input: ReceiveInput,
  config: ReceiveConfig,
): ReceiveStep {
  const m = p.message;
  const seq = parseHex(getString(m, F.seq));
  if (seq === undefined || seq <= 0) return reject(state, 'bad-sequence', 'missing or invalid seq', src);
  const hg = getString(m, F.generation);
  const gen = hg === undefined ? 0 : parseHex(hg);
  if (gen === undefined) return reject(state, 'bad-generation', `invalid hg "${hg}"`, src);
  const known = state.peers.get(src);
  const oldGen = known?.generation ?? 0;
  if (gen < oldGen) return reject(state, 'replayed-generation', `hg ${gen} < ${oldGen} already seen`, src);
  const restarted = known !== undefined && gen > oldGen;
  const base: SeqTrack = restarted || known === undefined ? EMPTY_SEQ_TRACK : known;
  const out = advanceSeq(base, seq, config.limits ?? DEFAULT_SEQ_LIMITS);
  if (out.kind === 'duplicate') return reject(state, 'duplicate', `seq ${seq} already seen`, src);
  if (out.kind === 'replayed') return reject(state, 'replayed-sequence', `seq ${seq} < ${out.last}`, src);
  const actions: ReceiveAction[] = [];
  if (restarted) actions.push({ kind: 'peer-restarted', peer: src, from: oldGen, to: gen });
  if (out.kind === 'gap') {
    const message = rexmitRequest(src, out.first, out.last);
    actions.push({ kind: 'request-rexmit', peer: src, firstSeq: out.first, lastSeq: out.last, message });
  }
  if (out.kind === 'resync') actions.push({ kind: 'resync', peer: src, fromSeq: out.from, toSeq: seq });
  if (out.kind === 'recovered') actions.push({ kind: 'recovered', peer: src, seq });
  const track: PeerTrack = { ...out.track, generation: gen, lastLink: input.link, lastAcceptedAt: input.now };
  const next = withPeer(state, src, track);
  const dest = msgDest(m)?.toLowerCase();
  if (dest !== undefined && dest !== config.localNode) {
    return step(next, { kind: 'ignore', reason: 'not-for-us', from: src }, actions);
  }
  return step(next, accept(p, src, seq), actions);
}

function accept(p: Packet, from: string, seq: number | undefined): Verdict {
  return { kind: 'accept', from, message: p.message, format: p.format, seq };
}

function withPeer(state: ReceiveState, peer: string, track: PeerTrack): ReceiveState {
  const peers = new Map(state.peers);
  peers.set(peer, track);
  return { peers };
}

function step(state: ReceiveState, verdict: Verdict, actions: readonly ReceiveAction[] = []): ReceiveStep {
  return { state, verdict, actions };
}

function reject(
  state: ReceiveState,
  reason: RejectReason,
  detail: string,
  from?: string,
  decodeReason?: DecodeReason,
): ReceiveStep {
  const verdict: Verdict = {
    kind: 'reject',
    reason,
    detail,
    ...(from === undefined ? {} : { from }),
    ...(decodeReason === undefined ? {} : { decodeReason }),
  };
  return { state, verdict, actions: [] };
}
