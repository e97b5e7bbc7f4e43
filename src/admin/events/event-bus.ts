import type { Clock } from '../../platform/clock.ts';
import type { AdminEvent, AdminEventType, Cause } from './admin-event.ts';

export type AdminEventListener = (e: AdminEvent) => void;

/** How many past events the bus keeps for clients that reconnect with Last-Event-ID. */
export const EVENT_HISTORY = 1000;

/**
 * Fan-out of AdminEvents to the SSE clients (and tests). Numbers events from 1, stamps wall-clock time,
 * keeps the last EVENT_HISTORY for resumption. Listeners are called synchronously and must not throw.
 */
export class EventBus {
  readonly #clock: Clock;
  readonly #listeners = new Set<AdminEventListener>();
  readonly #history: AdminEvent[] = [];
  #next = 1;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  publish(
    type: AdminEventType,
    subject: string,
    cause: Cause,
    data: Record<string, unknown> = {},
  ): AdminEvent {
    const e: AdminEvent = {
      id: this.#next++,
      time: new Date(this.#clock.wallNow()).toISOString(),
      type,
      subject,
      cause,
      data,
    };
    this.#history.push(e);
    if (this.#history.length > EVENT_HISTORY) this.#history.shift();
    for (const l of this.#listeners) l(e);
    return e;
  }

  subscribe(listener: AdminEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events after `id` still in the history (all kept ones when `id` is older than the history). */
  since(id: number): AdminEvent[] {
    return this.#history.filter((e) => e.id > id);
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  get published(): number {
    return this.#next - 1;
  }
}
