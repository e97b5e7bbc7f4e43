import type { RealServer } from '../../director/real-server.ts';
import type { PassiveHealthSpec, VirtualService } from '../../director/virtual-service.ts';
import type { Clock, Timer } from '../../platform/clock.ts';
import {
  type FailureKind,
  INITIAL_OUTLIER_STATE,
  type OutlierInput,
  type OutlierState,
  outlierStep,
} from './outlier.ts';

/** Structured log records of passive health, one per transition (docs/passive-health.md). */
export type PassiveEvent =
  | {
      readonly event: 'passive-ejected';
      readonly service: string;
      readonly real: string;
      readonly reason: FailureKind;
      readonly failures: number;
      readonly timesEjected: number;
      readonly durationMs: number;
    }
  | {
      readonly event: 'passive-eject-capped';
      readonly service: string;
      readonly real: string;
      readonly failures: number;
      readonly ejected: number;
      readonly total: number;
      readonly maxEjectionPercent: number;
    }
  | { readonly event: 'passive-returned'; readonly service: string; readonly real: string };

interface Entry {
  state: OutlierState;
  svc: VirtualService;
  /** The settings of the last report (a tick reads none, but the step takes them). */
  spec: PassiveHealthSpec;
  timer: Timer | undefined;
}

/**
 * The driver of outlier.ts for live services: keeps one state per real server, applies the engine's
 * reports, sets `real.passive` and calls `svc.changed()` when it flips, and returns an ejected server
 * with a timer on the injected clock. Reports for a service without `spec.passive` are ignored.
 *
 * Cost: a success on a server that never failed is one WeakMap lookup; a failure scans the service's
 * servers once (the cap needs the ejected count).
 */
export class OutlierDetector {
  readonly #clock: Clock;
  readonly #onEvent: (e: PassiveEvent) => void;
  readonly #entries = new WeakMap<RealServer, Entry>();
  /** Servers this detector has ejected and not yet returned (their timers are live). */
  readonly #ejected = new Map<RealServer, Entry>();

  constructor(clock: Clock, onEvent: (e: PassiveEvent) => void = () => {}) {
    this.#clock = clock;
    this.#onEvent = onEvent;
  }

  /** The server answered (or a connection to it ended without a reset from it). */
  success(svc: VirtualService, real: RealServer): void {
    const spec = svc.spec.passive;
    const e = this.#entries.get(real);
    if (!spec || !e) return;
    this.#apply(spec, real, e, { type: 'success', nowMs: this.#clock.now() });
  }

  /** A connect to the server was refused or timed out, or it reset a connection before answering. */
  failure(svc: VirtualService, real: RealServer, kind: FailureKind): void {
    const spec = svc.spec.passive;
    if (!spec || !svc.dests.includes(real)) return;
    let e = this.#entries.get(real);
    if (!e) {
      e = { state: INITIAL_OUTLIER_STATE, svc, spec, timer: undefined };
      this.#entries.set(real, e);
    }
    let ejected = 0;
    for (const d of svc.dests) if (d !== real && d.passive === 'ejected') ejected++;
    const pool = { ejected, total: svc.dests.length };
    this.#apply(spec, real, e, { type: 'failure', kind, nowMs: this.#clock.now(), pool });
  }

  /** Servers currently ejected by this detector. */
  get ejectedCount(): number {
    return this.#ejected.size;
  }

  /** Cancel the timers and put every server this detector ejected back in service (engine stop). */
  stop(): void {
    for (const [real, e] of this.#ejected) {
      e.timer?.cancel();
      e.timer = undefined;
      e.state = INITIAL_OUTLIER_STATE;
      real.passive = 'ok';
      e.svc.changed();
    }
    this.#ejected.clear();
  }

  #apply(spec: PassiveHealthSpec, real: RealServer, e: Entry, input: OutlierInput): void {
    const { state, effect } = outlierStep(spec, e.state, input);
    e.state = state;
    e.spec = spec;
    const ids = { service: e.svc.id, real: real.id };
    switch (effect.type) {
      case 'ejected': {
        real.passive = 'ejected';
        this.#ejected.set(real, e);
        this.#arm(real, e, effect.durationMs);
        e.svc.changed();
        const { reason, failures, timesEjected, durationMs } = effect;
        this.#onEvent({ event: 'passive-ejected', ...ids, reason, failures, timesEjected, durationMs });
        break;
      }
      case 'returned':
        real.passive = 'ok';
        this.#ejected.delete(real);
        e.svc.changed();
        this.#onEvent({ event: 'passive-returned', ...ids });
        break;
      case 'capped': {
        const { failures, ejected, total } = effect;
        const maxEjectionPercent = spec.maxEjectionPercent;
        this.#onEvent({
          event: 'passive-eject-capped',
          ...ids,
          failures,
          ejected,
          total,
          maxEjectionPercent,
        });
        break;
      }
      case 'none':
        break;
    }
  }

  /** Tick at the deadline; a timer that fires early (coarse timer granularity) re-arms for the rest. */
  #arm(real: RealServer, e: Entry, ms: number): void {
    e.timer = this.#clock.setTimeout(() => {
      e.timer = undefined;
      this.#apply(e.spec, real, e, { type: 'tick', nowMs: this.#clock.now() });
      if (e.state.kind === 'ejected') this.#arm(real, e, Math.max(1, e.state.untilMs - this.#clock.now()));
    }, ms);
  }
}
