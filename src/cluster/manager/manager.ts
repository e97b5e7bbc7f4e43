import { WebfarmError } from '../../model/errors.ts';
import type { Clock, Timer } from '../../platform/clock.ts';
import type { ResourceGroup } from '../resources/group.ts';
import {
  initialManagerState,
  type ManagerConfig,
  type ManagerEffect,
  type ManagerEvent,
  type ManagerInput,
  type ManagerState,
  step,
} from './decide.ts';
import type { MembershipView } from './membership-view.ts';
import { decodeManagerMessage, encodeManagerMessage } from './messages.ts';
import { isValidNodeName } from './node-name.ts';
import { PingCounter, type PingProber } from './ping-prober.ts';
import type { StonithDevice } from './stonith.ts';

/**
 * The resource manager: decide.ts's state machine on a Clock, performing its effects — group take/give
 * (one at a time per group, outcomes fed back), gratuitous ARP re-announcement, messages to the peer,
 * STONITH resets, timers — and emitting every decision as an event with its reason.
 */
export interface ManagerOptions {
  readonly clock: Clock;
  readonly membership: MembershipView;
  readonly groups: readonly ResourceGroup[];
  readonly autoFailback: boolean;
  readonly stonith?: StonithDevice;
  readonly ping?: {
    readonly prober: PingProber;
    readonly nodes: readonly string[];
    readonly intervalMs: number;
  };
  /** Re-send an unanswered ip-request after this long (default 2 s). */
  readonly requestRetryMs?: number;
  /** Retry a failed STONITH reset after this long (default 5 s, as later heartbeat). */
  readonly stonithRetryMs?: number;
}

export type TimedManagerEvent = ManagerEvent & { readonly at: number };
export type ManagerListener = (e: TimedManagerEvent) => void;

export interface GroupSnapshot {
  readonly key: string;
  readonly preferred: string;
  readonly held: boolean;
  readonly op: 'take' | 'give' | undefined;
}

export interface CommandOutcome {
  readonly accepted: boolean;
  readonly reason: string;
}

export const DEFAULT_REQUEST_RETRY_MS = 2000;
export const DEFAULT_STONITH_RETRY_MS = 5000;

export class ResourceManager {
  readonly #o: ManagerOptions;
  readonly #groups = new Map<string, ResourceGroup>();
  readonly #timers = new Map<string, Timer>();
  readonly #listeners = new Set<ManagerListener>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #ping: PingCounter | undefined;
  #state: ManagerState;
  #started = false;

  constructor(options: ManagerOptions) {
    this.#o = options;
    const config = managerConfig(options);
    for (const g of options.groups) this.#groups.set(g.key, g);
    this.#state = initialManagerState(config);
    const p = options.ping;
    this.#ping =
      p === undefined || p.nodes.length === 0
        ? undefined
        : new PingCounter(options.clock, p.prober, p.nodes, p.intervalMs, (count) =>
            this.#input({ kind: 'ping', count }),
          );
  }

  get state(): ManagerState {
    return this.#state;
  }

  on(listener: ManagerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Read which groups are already owned here, then follow membership and messages. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const held: string[] = [];
    for (const g of this.#groups.values()) if (await g.owned()) held.push(g.key);
    this.#input({ kind: 'init', held });
    const m = this.#o.membership;
    const peer = this.#state.config.peer;
    this.#unsubscribe.push(
      m.onEvent((e) => {
        if (e.kind === 'peer-up' && e.peer === peer) this.#input({ kind: 'peer-up' });
        if (e.kind === 'peer-dead' && e.peer === peer) this.#input({ kind: 'peer-dead' });
      }),
      m.onMessage((from, msg) => {
        const decoded = from === peer ? decodeManagerMessage(msg) : undefined;
        if (decoded !== undefined) this.#input({ kind: 'message', msg: decoded });
      }),
    );
    this.#ping?.start();
  }

  /** Stop following; resources stay as they are (give them first with `standby` if wanted). */
  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#ping?.stop();
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
    this.#started = false;
  }

  /** `webfarm standby` (hb_standby): give every group to the peer. Refused when the peer is not up. */
  standby(): CommandOutcome {
    return this.#command('standby');
  }

  /** `webfarm takeover` (hb_takeover): take every group (asking the peer for those it holds). */
  takeover(): CommandOutcome {
    return this.#command('takeover');
  }

  groups(): GroupSnapshot[] {
    return [...this.#state.groups.values()].map((g) => ({
      key: g.key,
      preferred: g.preferred,
      held: g.held,
      op: g.op?.kind,
    }));
  }

  /** Resolves once no take, give or STONITH reset is in flight (and none was started by their outcomes). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #command(kind: 'standby' | 'takeover'): CommandOutcome {
    const effects = this.#input({ kind });
    const refused = effects.find((e) => e.kind === 'event' && e.event.kind === 'command-refused');
    if (refused?.kind === 'event') return { accepted: false, reason: refused.event.reason };
    return { accepted: true, reason: kind === 'standby' ? 'giving every group' : 'taking every group' };
  }

  #input(input: ManagerInput): readonly ManagerEffect[] {
    const next = step(this.#state, input);
    this.#state = next.state;
    for (const e of next.effects) this.#perform(e);
    return next.effects;
  }

  #perform(e: ManagerEffect): void {
    switch (e.kind) {
      case 'take':
      case 'give':
        this.#track(this.#groupOp(e.kind, e.key));
        return;
      case 'announce':
        this.#groups.get(e.key)?.announce();
        return;
      case 'send':
        this.#o.membership.send(encodeManagerMessage(e.msg));
        return;
      case 'stonith':
        this.#track(this.#reset(e.node));
        return;
      case 'set-timer':
        this.#timers.get(e.name)?.cancel();
        this.#timers.set(
          e.name,
          this.#o.clock.setTimeout(() => {
            this.#timers.delete(e.name);
            this.#input({ kind: 'timer', name: e.name });
          }, e.ms),
        );
        return;
      case 'cancel-timer':
        this.#timers.get(e.name)?.cancel();
        this.#timers.delete(e.name);
        return;
      case 'event': {
        const timed = { ...e.event, at: this.#o.clock.now() };
        for (const l of this.#listeners) l(timed);
        return;
      }
    }
  }

  async #groupOp(op: 'take' | 'give', key: string): Promise<void> {
    const g = this.#groups.get(key);
    if (g === undefined) return;
    const r = op === 'take' ? await g.take() : await g.give();
    const detail = r.result.ok ? {} : { detail: r.result.reason };
    this.#input({ kind: 'op-done', key, op, ok: r.result.ok, owned: r.owned, ...detail });
  }

  async #reset(node: string): Promise<void> {
    const device = this.#o.stonith;
    if (device === undefined) return;
    const r = await device.reset(node);
    this.#input(
      r.ok ? { kind: 'stonith-done', ok: true } : { kind: 'stonith-done', ok: false, detail: r.reason },
    );
  }

  #track(p: Promise<void>): void {
    const tracked = p.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}

/** The pure machine's config from the options; throws WF_ERR_CLUSTER_RESOURCE on a shape it cannot run. */
export function managerConfig(o: ManagerOptions): ManagerConfig {
  const bad = (m: string) => new WebfarmError('WF_ERR_CLUSTER_RESOURCE', `resource manager: ${m}`);
  const self = o.membership.self;
  const peers = o.membership.peers();
  const peer = peers[0];
  if (peers.length !== 1 || peer === undefined) {
    throw bad(`exactly two nodes are supported (haresources mode), got peers ${JSON.stringify(peers)}`);
  }
  for (const n of [self, peer]) if (!isValidNodeName(n)) throw bad(`invalid node name ${JSON.stringify(n)}`);
  const keys = new Set<string>();
  for (const g of o.groups) {
    if (keys.has(g.key)) throw bad(`two groups share the key ${g.key} (the first resource must be unique)`);
    if (/\s/.test(g.key) || g.key === '') throw bad(`group key ${JSON.stringify(g.key)} is not one token`);
    keys.add(g.key);
  }
  const retry = (v: number | undefined, d: number, name: string) => {
    const ms = v ?? d;
    if (!Number.isFinite(ms) || ms <= 0) throw bad(`${name} must be > 0 ms`);
    return ms;
  };
  return {
    self,
    peer,
    groups: o.groups.map((g) => ({ key: g.key, preferred: g.preferred })),
    autoFailback: o.autoFailback,
    stonith: o.stonith !== undefined,
    requestRetryMs: retry(o.requestRetryMs, DEFAULT_REQUEST_RETRY_MS, 'requestRetryMs'),
    stonithRetryMs: retry(o.stonithRetryMs, DEFAULT_STONITH_RETRY_MS, 'stonithRetryMs'),
  };
}
