import type { Director } from '../../director/director.ts';
import type { DirectorEvent } from '../../director/director-event.ts';
import type { VirtualService } from '../../director/virtual-service.ts';
import { OutlierDetector, type PassiveEvent } from '../../health/passive/outlier-detector.ts';
import { WebfarmError, isWebfarmError } from '../../model/errors.ts';
import type { Clock, Timer } from '../../platform/clock.ts';
import type { Engine } from '../engine.ts';
import type { ProxyContext, Tracked } from './context.ts';
import type { Listener } from './listener.ts';
import { TcpListener } from './tcp-listener.ts';
import { UdpListener } from './udp-listener.ts';

export interface ProxyEngineOptions {
  /** Clock for timers and idle expiry; default the director's. */
  readonly clock?: Clock;
  /** Failures the engine cannot throw to a caller: a listener for a service added at run time, accept errors. */
  readonly onError?: (e: Error) => void;
  /** Period of the idle sweeper, ms (default 1000). Idle timeouts fire up to this much late. */
  readonly sweepIntervalMs?: number;
  /** Client bytes held per session while connecting to the real server (default 64 KiB). */
  readonly maxPendingBytes?: number;
  /**
   * Structured records of passive health transitions (ejected, capped, returned), one object per line to
   * log; the engine has no logger of its own (docs/passive-health.md).
   */
  readonly onEvent?: (e: ProxyEngineEvent) => void;
  /**
   * Whether `start()` binds the services' listeners (default true). false: the engine starts passive and
   * binds nothing until `activate()` — a cluster standby, whose floating address is not local until its
   * group is taken (docs/cluster.md "Running a cluster").
   */
  readonly active?: boolean;
}

/** What the engine reports through `onEvent`. */
export type ProxyEngineEvent = PassiveEvent;

/** What tests and the admin API can read about the engine's live state. */
export interface ProxyEngineSnapshot {
  /** Live TCP sessions and UDP flows. */
  readonly tracked: number;
  /** Services with a bound listener. */
  readonly listening: number;
  /** Bytes the proxy holds in socket write buffers, all sessions together (backpressure bound). */
  readonly bufferedBytes: number;
  /** Real servers passive health has ejected right now, all services together. */
  readonly ejected: number;
}

/**
 * The userspace proxy engine (docs/proxy-engine.md): one listener per virtual service, TCP sessions and
 * UDP flows over the director's scheduling, a coarse idle sweeper on the director's clock.
 *
 * Director events while running: service-added → bind its listener (failure → `onError`, or the caller
 * of `serviceReady`); service-removed → close the listener, TCP sessions already accepted run to their end,
 * UDP flows of that service are closed (the service socket was their only way back to the clients);
 * real-server events need nothing (the director schedules).
 *
 * Passive health (docs/passive-health.md): TCP sessions report connect failures, resets before any answer
 * and successes to an OutlierDetector, which ejects servers of services with `spec.passive`.
 */
export class ProxyEngine implements Engine {
  readonly name = 'proxy';
  readonly #director: Director;
  readonly #ctx: ProxyContext;
  readonly #onError: (e: Error) => void;
  readonly #sweepIntervalMs: number;
  readonly #listeners = new Map<string, Listener>();
  readonly #ready = new Map<string, Promise<void>>();
  readonly #observed = new Set<string>();
  readonly #tracked = new Set<Tracked>();
  readonly #outcomes: OutlierDetector;
  #unsubscribe: (() => void) | undefined;
  #sweeper: Timer | undefined;
  #active: boolean;

  constructor(director: Director, opts: ProxyEngineOptions = {}) {
    this.#director = director;
    this.#onError = opts.onError ?? (() => {});
    this.#sweepIntervalMs = opts.sweepIntervalMs ?? 1000;
    this.#active = opts.active ?? true;
    const tracked = this.#tracked;
    const clock = opts.clock ?? director.clock;
    this.#outcomes = new OutlierDetector(clock, opts.onEvent);
    this.#ctx = {
      director,
      clock,
      maxPendingBytes: opts.maxPendingBytes ?? 64 * 1024,
      outcomes: this.#outcomes,
      track: (t) => tracked.add(t),
      untrack: (t) => tracked.delete(t),
    };
  }

  async start(): Promise<void> {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#director.on((e) => this.#onEvent(e));
    if (this.#active) {
      try {
        await this.#openAll();
      } catch (e) {
        await this.#closeAll();
        throw e;
      }
    }
    const clock = this.#ctx.clock;
    this.#sweeper = clock.setInterval(() => this.#sweep(clock.now()), this.#sweepIntervalMs);
  }

  /** Also puts every server passive health ejected back in service: that state lives with the engine. */
  async stop(): Promise<void> {
    this.#outcomes.stop();
    await this.#closeAll();
    await Promise.all([...this.#tracked].map((t) => t.destroy()));
  }

  /** Whether the services' listeners are bound (or will be at start): see ProxyEngineOptions.active. */
  get active(): boolean {
    return this.#active;
  }

  /**
   * Bind every service's listener, all or nothing: if one cannot bind, the ones bound are closed again and
   * the error (WF_ERR_ENGINE_LISTEN naming the service) is thrown, leaving the engine passive. Idempotent.
   * Before start(): only records that start() should bind.
   */
  async activate(): Promise<void> {
    if (this.#active) return;
    this.#active = true;
    if (!this.#unsubscribe) return;
    try {
      await this.#openAll();
    } catch (e) {
      this.#active = false;
      await this.#closeListeners();
      throw e;
    }
  }

  /**
   * Close every listener and bind none for services added from now on, until `activate()`. TCP sessions
   * already accepted run to their end; UDP flows close with their service socket. Idempotent.
   */
  async deactivate(): Promise<void> {
    this.#active = false;
    await this.#closeListeners();
  }

  serviceReady(id: string): Promise<void> {
    this.#observed.add(id);
    return this.#ready.get(id) ?? Promise.resolve();
  }

  snapshot(): ProxyEngineSnapshot {
    let bufferedBytes = 0;
    for (const t of this.#tracked) bufferedBytes += t.bufferedBytes();
    const ejected = this.#outcomes.ejectedCount;
    return { tracked: this.#tracked.size, listening: this.#listeners.size, bufferedBytes, ejected };
  }

  #onEvent(e: DirectorEvent): void {
    if (e.type === 'service-added') {
      if (!this.#active) return;
      this.#open(e.service).catch((err: Error) => {
        if (!this.#observed.has(e.service.id)) this.#onError(err);
      });
    } else if (e.type === 'service-removed') {
      this.#close(e.service.id).catch(this.#onError);
    }
  }

  /** Bind the service's listener; the promise is kept for serviceReady. */
  #open(svc: VirtualService): Promise<void> {
    const l = this.#listenerFor(svc);
    this.#listeners.set(svc.id, l);
    const p = l.listen().catch((cause: unknown) => {
      if (this.#listeners.get(svc.id) === l) this.#listeners.delete(svc.id);
      throw listenError(svc, cause);
    });
    this.#ready.set(svc.id, p);
    return p;
  }

  /** Bind every service; rejects with the first failure (listeners that did bind stay open). */
  async #openAll(): Promise<void> {
    const services = [...this.#director.services.values()];
    const results = await Promise.allSettled(services.map((s) => this.#open(s)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  #listenerFor(svc: VirtualService): Listener {
    if (svc.spec.port === 0) return new Refusing(unsupported(svc, 'a port-0 (all ports) service'));
    if (svc.spec.protocol === 'tcp') return new TcpListener(this.#ctx, svc, this.#onError);
    return new UdpListener(this.#ctx, svc, this.#onError);
  }

  async #close(id: string): Promise<void> {
    const l = this.#listeners.get(id);
    this.#listeners.delete(id);
    this.#ready.delete(id);
    this.#observed.delete(id);
    await l?.close();
  }

  async #closeAll(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#sweeper?.cancel();
    this.#sweeper = undefined;
    await this.#closeListeners();
  }

  async #closeListeners(): Promise<void> {
    const ids = [...this.#listeners.keys()];
    await Promise.all(ids.map((id) => this.#close(id)));
  }

  #sweep(nowMs: number): void {
    for (const t of this.#tracked) t.sweep(nowMs);
  }
}

export function createProxyEngine(director: Director, opts?: ProxyEngineOptions): ProxyEngine {
  return new ProxyEngine(director, opts);
}

/** A listener that cannot exist in this engine: listen() rejects with the given error. */
class Refusing implements Listener {
  constructor(private readonly error: WebfarmError) {}
  listen(): Promise<void> {
    return Promise.reject(this.error);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function unsupported(svc: VirtualService, what: string): WebfarmError {
  return new WebfarmError('WF_ERR_ENGINE_UNSUPPORTED', `${svc.id}: the proxy engine cannot serve ${what}`);
}

function listenError(svc: VirtualService, cause: unknown): WebfarmError {
  if (isWebfarmError(cause)) return cause;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new WebfarmError('WF_ERR_ENGINE_LISTEN', `${svc.id}: cannot listen: ${why}`, { cause });
}
