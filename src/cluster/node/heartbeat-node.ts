import { loadavg } from 'node:os';
import { WebfarmError } from '../../model/errors.ts';
import type { Clock, Timer } from '../../platform/clock.ts';
import type { AuthKeys } from '../auth.ts';
import type { Medium } from '../media/medium.ts';
import type { MembershipEvent } from '../membership/fsm.ts';
import { MembershipMonitor } from '../membership/monitor.ts';
import { resolveTiming, type Timing } from '../membership/timing.ts';
import { F, isNoSeqType, msgType, parseDec, T } from '../message-fields.ts';
import { getString, type Message } from '../message.ts';
import { sealPacket, type WireFormat } from '../packet.ts';
import { countVerdict, emptyReceiveCounters, type ReceiveCounters } from '../receive-counters.ts';
import {
  INITIAL_RECEIVE_STATE,
  type ReceiveAction,
  type ReceiveConfig,
  type ReceiveState,
  receive,
  type Verdict,
} from '../receive-filter.ts';
import { nodeListReply, nodeListRequester } from '../node-list.ts';
import { nakRexmit } from '../rexmit.ts';
import type { ClusterEvent, ClusterListener, NodeEvent } from './cluster-event.ts';
import { type OutboundContext, stamp, statusMessage } from './outbound.ts';
import { MAX_REXMIT_PER_REQUEST, SendHistory } from './send-history.ts';

export interface HeartbeatNodeConfig {
  /** Our node name (heartbeat lower-cases `uname -n`; so do we). */
  readonly localNode: string;
  /** Every configured node, ours included. */
  readonly nodes: readonly string[];
  readonly keys: AuthKeys;
  /** This run's generation (generation.ts bumps it on disk at every start). */
  readonly generation: number;
  readonly timing?: Partial<Timing>;
  /** Format on media that carry any (UDP); default netstring, what heartbeat 3.0.x sends. Serial: classic. */
  readonly wireFormat?: WireFormat;
  /** ttl = node count + hopfudge; default 1. */
  readonly hopfudge?: number;
}

export interface HeartbeatNodeDeps {
  readonly clock: Clock;
  /** Open media, each with a unique name (the link name in events). The node closes them on close(). */
  readonly media: readonly Medium[];
  /** The `ld` field; default os.loadavg(). */
  readonly load?: () => string;
}

export interface NodeSnapshot {
  readonly localNode: string;
  readonly generation: number;
  readonly lastSeq: number;
  readonly status: 'up' | 'active';
  readonly peers: readonly {
    readonly name: string;
    readonly status: string;
    readonly links: readonly { readonly name: string; readonly status: string }[];
  }[];
  readonly media: readonly { readonly name: string; readonly status: string }[];
  readonly counters: ReceiveCounters;
}

/**
 * One cluster node's heartbeat: sends a status heartbeat on every medium every keepalive, passes every packet
 * received through the receive filter (auth, node, generation, seq), feeds arrivals to the membership
 * monitor, answers retransmission requests from a send history, and reports ClusterEvents. Liveness comes
 * only from sequenced messages (replay-protected); a duplicate (the same seq over another medium) refreshes
 * only its link. Runs on whatever thread constructs it; heartbeat-worker.ts puts it in its own.
 */
export class HeartbeatNode {
  readonly #cfg: HeartbeatNodeConfig;
  readonly #clock: Clock;
  readonly #media: readonly Medium[];
  readonly #timing: Timing;
  readonly #monitor: MembershipMonitor;
  readonly #rcfg: ReceiveConfig;
  readonly #history = new SendHistory();
  readonly #listeners = new Set<ClusterListener>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #load: () => string;
  #filter: ReceiveState = INITIAL_RECEIVE_STATE;
  #counters: ReceiveCounters = emptyReceiveCounters();
  #seq = 0;
  #timer: Timer | undefined;
  #closed = false;

  constructor(config: HeartbeatNodeConfig, deps: HeartbeatNodeDeps) {
    this.#cfg = config;
    this.#clock = deps.clock;
    this.#media = deps.media;
    this.#timing = resolveTiming(config.timing);
    this.#load =
      deps.load ??
      (() =>
        loadavg()
          .map((n) => n.toFixed(2))
          .join(' '));
    checkUniqueNames(deps.media);
    const local = config.localNode.toLowerCase();
    const all = new Set(config.nodes.map((n) => n.toLowerCase()));
    const peers = [...all].filter((n) => n !== local);
    this.#rcfg = { localNode: local, nodes: all, keys: config.keys };
    this.#monitor = new MembershipMonitor(
      deps.clock,
      this.#timing,
      peers,
      deps.media.map((m) => m.name),
    );
    this.#monitor.on((e) => this.#emit(e));
  }

  get timing(): Timing {
    return this.#timing;
  }

  on(listener: ClusterListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Start listening and heartbeating; silence is measured from construction. */
  start(): void {
    for (const m of this.#media) {
      this.#unsubscribe.push(m.onReceive((bytes, from) => this.#receive(m.name, bytes, from)));
      this.#unsubscribe.push(
        m.onStatus((status, detail) =>
          this.#emit({ kind: 'medium-status', link: m.name, status, detail, at: this.#now() }),
        ),
      );
    }
    this.#monitor.start();
    this.#sendStatus();
    this.#timer = this.#clock.setInterval(() => this.#sendStatus(), this.#timing.keepaliveMs);
  }

  /** Send an application message (e.g. a resource request) to every node, sequenced and authenticated. */
  send(m: Message): void {
    if (this.#closed) return;
    const type = msgType(m) ?? '';
    const seq = isNoSeqType(type) ? undefined : ++this.#seq;
    const out = stamp(m, seq, this.#context());
    if (seq !== undefined) this.#history.add(seq, out);
    this.#broadcast(out);
  }

  snapshot(): NodeSnapshot {
    const s = this.#monitor.state;
    return {
      localNode: this.#rcfg.localNode,
      generation: this.#cfg.generation,
      lastSeq: this.#seq,
      status: this.#localStatus(),
      peers: [...s.peers].map(([name, p]) => ({
        name,
        status: p.status,
        links: [...p.links].map(([l, v]) => ({ name: l, status: v.status })),
      })),
      media: this.#media.map((m) => ({ name: m.name, status: m.status })),
      counters: this.#counters,
    };
  }

  /** Stop heartbeating and close every medium; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer?.cancel();
    this.#monitor.stop();
    for (const u of this.#unsubscribe) u();
    await Promise.all(this.#media.map((m) => m.close()));
  }

  #sendStatus(): void {
    this.send(statusMessage(this.#localStatus(), this.#timing.deadtimeMs));
  }

  /** `up` until every peer has been heard from, then `active` (heartbeat's local status). */
  #localStatus(): 'up' | 'active' {
    for (const p of this.#monitor.state.peers.values()) if (p.status === 'init') return 'up';
    return 'active';
  }

  #context(): OutboundContext {
    return {
      src: this.#rcfg.localNode,
      generation: this.#cfg.generation,
      wallNow: this.#clock.wallNow(),
      ttl: this.#cfg.nodes.length + (this.#cfg.hopfudge ?? 1),
      load: this.#load(),
    };
  }

  /** Seal once per wire format and send on every medium in the format it carries. */
  #broadcast(m: Message): void {
    const sealed = new Map<WireFormat, Uint8Array | undefined>();
    for (const medium of this.#media) {
      const format: WireFormat =
        medium.formats === 'classic' ? 'classic' : (this.#cfg.wireFormat ?? 'netstring');
      if (!sealed.has(format)) {
        const r = sealPacket(m, format, this.#cfg.keys);
        sealed.set(format, r.ok ? r.bytes : undefined);
      }
      const bytes = sealed.get(format);
      if (bytes !== undefined) medium.send(bytes);
    }
  }

  #receive(link: string, bytes: Uint8Array, sender: string): void {
    if (this.#closed) return;
    const now = this.#now();
    const step = receive(this.#filter, { bytes, link, now }, this.#rcfg);
    this.#filter = step.state;
    this.#counters = countVerdict(this.#counters, step.verdict);
    for (const a of step.actions) this.#act(a, now);
    this.#verdict(step.verdict, link, sender, now);
  }

  #verdict(v: Verdict, link: string, sender: string, now: number): void {
    if (v.kind === 'accept') {
      if (v.seq !== undefined) this.#monitor.heard(v.from, link, true);
      this.#accepted(v.from, link, v.message, now);
    } else if (v.kind === 'reject') {
      if (v.reason === 'duplicate' && v.from !== undefined) this.#monitor.heard(v.from, link, false);
      else
        this.#emit({
          kind: 'rejected',
          reason: v.reason,
          link,
          sender,
          detail: v.detail,
          at: now,
          ...(v.from === undefined ? {} : { from: v.from }),
        });
    }
  }

  #accepted(from: string, link: string, m: Message, now: number): void {
    const type = msgType(m) ?? '';
    if (type === T.rexmit) this.#answerRexmit(m);
    else if (nodeListRequester(m, this.#rcfg.localNode) !== undefined)
      // heartbeat 3.0.x waits for this answer before it declares its communications up (node-list.ts).
      this.send(nodeListReply(from, [...this.#rcfg.nodes]));
    else if (type !== T.status && !isNoSeqType(type))
      this.#emit({ kind: 'message', peer: from, link, message: m, at: now });
  }

  /** A peer asks for `firstseq`..`lastseq` (decimal): resend what the history holds, NAK the rest. */
  #answerRexmit(m: Message): void {
    const first = parseDec(getString(m, F.firstseq));
    const last = parseDec(getString(m, F.lastseq)) ?? first;
    if (first === undefined || last === undefined || last < first) return;
    for (let seq = first; seq <= Math.min(last, first + MAX_REXMIT_PER_REQUEST - 1); seq++) {
      const old = this.#history.get(seq);
      this.#broadcast(old ?? stamp(nakRexmit(seq, 'not in history'), undefined, this.#context()));
    }
  }

  #act(a: ReceiveAction, now: number): void {
    if (a.kind === 'peer-restarted') {
      this.#emit({
        kind: 'peer-restarted',
        peer: a.peer,
        fromGeneration: a.from,
        toGeneration: a.to,
        at: now,
      });
    } else if (a.kind === 'request-rexmit') {
      this.#broadcast(stamp(a.message, undefined, this.#context()));
    }
  }

  #emit(e: MembershipEvent | NodeEvent): void {
    const stamped: ClusterEvent = { ...e, wallAt: this.#clock.wallNow() };
    for (const l of this.#listeners) l(stamped);
  }

  #now(): number {
    return this.#clock.now();
  }
}

function checkUniqueNames(media: readonly Medium[]): void {
  const seen = new Set<string>();
  for (const m of media) {
    if (seen.has(m.name))
      throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', `two media are both named "${m.name}"`);
    seen.add(m.name);
  }
}
