import type { Director } from '../director/director.ts';
import type { Engine } from '../engines/engine.ts';
import type { ProxyEngineEvent } from '../engines/proxy/proxy-engine.ts';
import type { Clock } from '../platform/clock.ts';
import { EventBus } from './events/event-bus.ts';
import { collectMetrics } from './metrics/collect.ts';
import { formatExposition } from './metrics/exposition.ts';
import { farmMetrics, realKey } from './metrics/farm-metrics.ts';
import { ProcessSampler } from './metrics/process-stats.ts';

export interface AdminRuntimeOptions {
  readonly director: Director;
  /** Default: the director's clock. */
  readonly clock?: Clock;
}

/**
 * The admin side's live state beside the director: the event bus, passive-ejection counts, the process
 * sampler. The composition root (bin/farm.ts) makes one, feeds it the engine's and the health checker's
 * events, and hands it to buildAdminApi; tests may let buildAdminApi make its own. `stop()` when done.
 */
export class AdminRuntime {
  readonly director: Director;
  readonly clock: Clock;
  readonly events: EventBus;
  /** Set once the engine exists (it is created after the runtime so it can take `onEngineEvent`). */
  engine: Engine | undefined;
  readonly #passiveEjections = new Map<string, number>();
  readonly #sampler = new ProcessSampler();

  constructor(o: AdminRuntimeOptions) {
    this.director = o.director;
    this.clock = o.clock ?? o.director.clock;
    this.events = new EventBus(this.clock);
  }

  /** Pass as the proxy engine's `onEvent`. */
  readonly onEngineEvent = (e: ProxyEngineEvent): void => {
    if (e.event === 'passive-ejected') {
      const key = realKey(e.service, e.real);
      this.#passiveEjections.set(key, (this.#passiveEjections.get(key) ?? 0) + 1);
    }
  };

  /** The Prometheus text for GET /metrics. */
  metricsText(): string {
    const input = collectMetrics({
      director: this.director,
      engine: this.engine,
      passiveEjections: this.#passiveEjections,
      process: this.#sampler.read(),
      events: { published: this.events.published, subscribers: this.events.subscribers },
    });
    return formatExposition(farmMetrics(input));
  }

  stop(): void {
    this.#sampler.stop();
  }
}
