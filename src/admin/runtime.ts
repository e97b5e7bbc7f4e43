import type { Director } from '../director/director.ts';
import type { Engine } from '../engines/engine.ts';
import type { ProxyEngineEvent } from '../engines/proxy/proxy-engine.ts';
import type { HealthSubsystem } from '../health/health-subsystem.ts';
import type { Clock } from '../platform/clock.ts';
import { DrainManager } from './drain/drain-manager.ts';
import { subjectOf } from './events/admin-event.ts';
import { watchDirector } from './events/director-watch.ts';
import { EventBus } from './events/event-bus.ts';
import { watchHealth } from './events/health-watch.ts';
import { collectMetrics } from './metrics/collect.ts';
import { formatExposition } from './metrics/exposition.ts';
import { farmMetrics, realKey } from './metrics/farm-metrics.ts';
import { ProcessSampler } from './metrics/process-stats.ts';

export interface AdminRuntimeOptions {
  readonly director: Director;
  /** Default: the director's clock. */
  readonly clock?: Clock;
  /** Period of the event stream's keep-alive comment, ms (default 15000). */
  readonly heartbeatMs?: number;
  /** How often a drain in progress looks at the server's connections, ms (default 200). */
  readonly drainPollMs?: number;
}

/**
 * The admin side's live state beside the director: the event bus, the drain watcher, passive-ejection
 * counts, the process sampler. The composition root (bin/farm.ts) makes one, feeds it the engine's and the health checker's
 * events, and hands it to buildAdminApi; tests may let buildAdminApi make its own. `stop()` when done.
 */
export class AdminRuntime {
  readonly director: Director;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly heartbeatMs: number;
  readonly drains: DrainManager;
  /** Set once the engine exists (it is created after the runtime so it can take `onEngineEvent`). */
  engine: Engine | undefined;
  readonly #passiveEjections = new Map<string, number>();
  readonly #sampler = new ProcessSampler();
  readonly #unwatch: Array<() => void> = [];

  constructor(o: AdminRuntimeOptions) {
    this.director = o.director;
    this.clock = o.clock ?? o.director.clock;
    this.events = new EventBus(this.clock);
    this.heartbeatMs = o.heartbeatMs ?? 15_000;
    this.#unwatch.push(watchDirector(this.director, this.events));
    this.drains = new DrainManager(this.director, this.clock, this.events, o.drainPollMs);
  }

  /** Publish the health checker's transitions, fallbacks and alerts (subscribe before it starts). */
  watchHealth(health: Pick<HealthSubsystem, 'on'>): void {
    this.#unwatch.push(watchHealth(health, this.events));
  }

  /** Pass as the proxy engine's `onEvent`. */
  readonly onEngineEvent = (e: ProxyEngineEvent): void => {
    if (e.event === 'passive-ejected') {
      const key = realKey(e.service, e.real);
      this.#passiveEjections.set(key, (this.#passiveEjections.get(key) ?? 0) + 1);
    }
    const { event, service, real, ...data } = e;
    this.events.publish(event, subjectOf(service, real), { source: 'passive' }, data);
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
    for (const u of this.#unwatch.splice(0)) u();
    this.drains.stop();
    this.#sampler.stop();
  }
}
