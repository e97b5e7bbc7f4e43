import type { Director } from '../../director/director.ts';
import type { Clock, Timer } from '../../platform/clock.ts';
import { subjectOf } from '../events/admin-event.ts';
import { currentCause, runWithCause } from '../events/cause.ts';
import type { EventBus } from '../events/event-bus.ts';
import { type DrainInput, type DrainState, type DrainStep, drainStep, startDrain } from './drain-state.ts';

/** How a drain looks in the API (GET of a real server, GET /v1/drains) and in events. */
export interface DrainView {
  readonly service: string;
  readonly real: string;
  readonly state: DrainState['phase'];
  /** Wall-clock ISO 8601. */
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly timeoutMs: number | null;
  readonly remove: boolean;
  readonly removed: boolean;
  /** Active + inactive connections at the last look. */
  readonly remainingConns: number;
  readonly reason: string | null;
}

interface Entry {
  readonly service: string;
  readonly real: string;
  readonly startedWallMs: number;
  readonly timeoutMs: number | undefined;
  state: DrainState;
}

/** Finished drains kept for GET /v1/drains beyond those whose server still exists. */
const KEEP_FINISHED = 100;

/**
 * The drain watcher: applies drain-state.ts to live servers. `start` sets admin `drain` (in the caller's
 * cause context), then every `pollMs` on the Clock reads the server's connections and steps the state;
 * effects become events (drain-progress, drain-finished, drain-cancelled) and, when asked, the removal of
 * the server (cause `drain`). The timer runs only while some drain is in progress.
 */
export class DrainManager {
  readonly #director: Director;
  readonly #clock: Clock;
  readonly #bus: EventBus;
  readonly #pollMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #unsubscribe: () => void;
  #timer: Timer | undefined;

  constructor(director: Director, clock: Clock, bus: EventBus, pollMs = 200) {
    this.#director = director;
    this.#clock = clock;
    this.#bus = bus;
    this.#pollMs = pollMs;
    // A server added again under the same id starts without the old drain's record.
    this.#unsubscribe = director.on((e) => {
      if (e.type === 'real-added') this.#forget(subjectOf(e.service.id, e.real.id));
      if (e.type === 'service-removed') this.#poll();
    });
  }

  /** Start (or restart with new settings) the drain of one real server. Throws the director's errors. */
  start(serviceId: string, realId: string, opts: { timeoutMs?: number; remove: boolean }): DrainView {
    const real = this.#director.getService(serviceId).findReal(realId);
    this.#director.editReal(serviceId, realId, { admin: 'drain' });
    const key = subjectOf(serviceId, realId);
    this.#entries.delete(key);
    const now = this.#clock.now();
    const step = startDrain(now, real ? real.totalConns : 0, opts.timeoutMs, opts.remove);
    const entry: Entry = {
      service: serviceId,
      real: realId,
      startedWallMs: this.#clock.wallNow(),
      timeoutMs: opts.timeoutMs,
      state: step.state,
    };
    this.#entries.set(key, entry);
    this.#bus.publish('drain-started', key, currentCause() ?? { source: 'api' }, {
      ...viewOf(entry, this.#wallOf),
    });
    this.#apply(entry, step);
    this.#schedule();
    return viewOf(entry, this.#wallOf);
  }

  /** Back to admin `enabled`; a drain in progress is cancelled, a finished one forgotten. */
  enable(serviceId: string, realId: string): void {
    this.#director.editReal(serviceId, realId, { admin: 'enabled' });
    const key = subjectOf(serviceId, realId);
    const entry = this.#entries.get(key);
    if (entry) this.#step(entry, { type: 'cancel', nowMs: this.#clock.now(), reason: 'enabled' });
    this.#entries.delete(key);
  }

  status(serviceId: string, realId: string): DrainView | undefined {
    const e = this.#entries.get(subjectOf(serviceId, realId));
    return e && viewOf(e, this.#wallOf);
  }

  list(): DrainView[] {
    return [...this.#entries.values()].map((e) => viewOf(e, this.#wallOf));
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#unsubscribe();
  }

  /** Wall-clock ms of a monotonic time (for display). */
  readonly #wallOf = (monoMs: number): number => this.#clock.wallNow() - (this.#clock.now() - monoMs);

  #poll(): void {
    const now = this.#clock.now();
    for (const e of this.#entries.values()) {
      if (e.state.phase !== 'draining') continue;
      const real = this.#director.services.get(e.service)?.findReal(e.real);
      if (!real) this.#step(e, { type: 'cancel', nowMs: now, reason: 'removed' });
      else if (real.admin !== 'drain')
        this.#step(e, { type: 'cancel', nowMs: now, reason: `admin ${real.admin}` });
      else this.#step(e, { type: 'observe', nowMs: now, conns: real.totalConns });
    }
    this.#schedule();
  }

  #step(e: Entry, input: DrainInput): void {
    this.#apply(e, drainStep(e.state, input));
  }

  #apply(e: Entry, step: DrainStep): void {
    e.state = step.state;
    const subject = subjectOf(e.service, e.real);
    for (const effect of step.effects) {
      const view = viewOf(e, this.#wallOf);
      if (effect === 'progress') {
        this.#bus.publish(
          'drain-progress',
          subject,
          { source: 'drain' },
          { remainingConns: view.remainingConns },
        );
      } else if (effect === 'finished') {
        this.#bus.publish('drain-finished', subject, { source: 'drain' }, { ...view });
      } else if (effect === 'cancelled') {
        this.#bus.publish('drain-cancelled', subject, { source: 'drain' }, { ...view });
      } else {
        runWithCause({ source: 'drain' }, () => {
          if (this.#director.services.get(e.service)?.findReal(e.real))
            this.#director.removeReal(e.service, e.real);
        });
        e.state = drainStep(e.state, { type: 'removed' }).state;
      }
    }
    this.#trim();
  }

  #schedule(): void {
    const busy = [...this.#entries.values()].some((e) => e.state.phase === 'draining');
    if (busy && !this.#timer) this.#timer = this.#clock.setInterval(() => this.#poll(), this.#pollMs);
    if (!busy && this.#timer) {
      this.#timer.cancel();
      this.#timer = undefined;
    }
  }

  #forget(key: string): void {
    const e = this.#entries.get(key);
    if (e && e.state.phase !== 'draining') this.#entries.delete(key);
  }

  /** Keep finished drains of removed servers bounded. */
  #trim(): void {
    const gone = [...this.#entries.entries()].filter(([, e]) => e.state.removed);
    for (const [key] of gone.slice(0, Math.max(0, gone.length - KEEP_FINISHED))) this.#entries.delete(key);
  }
}

function viewOf(e: Entry, wallOf: (monoMs: number) => number): DrainView {
  const s = e.state;
  return {
    service: e.service,
    real: e.real,
    state: s.phase,
    startedAt: new Date(e.startedWallMs).toISOString(),
    endedAt: s.endedMs === undefined ? null : new Date(wallOf(s.endedMs)).toISOString(),
    timeoutMs: e.timeoutMs ?? null,
    remove: s.remove,
    removed: s.removed,
    remainingConns: s.remaining,
    reason: s.reason ?? null,
  };
}
