import type { Director } from '../../director/director.ts';
import { snapshotDirector } from '../../director/snapshot.ts';
import type { Engine } from '../../engines/engine.ts';
import { type EngineStats, type MetricsInput, type RealExtras, realKey } from './farm-metrics.ts';
import type { ProcessStats } from './process-stats.ts';

export interface CollectSources {
  readonly director: Director;
  readonly engine: Engine | undefined;
  /** Passive ejections per `realKey`, counted from the engine's events. */
  readonly passiveEjections: ReadonlyMap<string, number>;
  readonly process: ProcessStats;
  readonly events: { readonly published: number; readonly subscribers: number };
}

/** Gather one consistent MetricsInput (synchronously, so no event interleaves). */
export function collectMetrics(src: CollectSources): MetricsInput {
  const reals = new Map<string, RealExtras>();
  for (const svc of src.director.services.values()) {
    for (const r of svc.dests) {
      const key = realKey(svc.id, r.id);
      reals.set(key, {
        connectFailures: r.connectFailures,
        resets: r.resets,
        passiveEjected: r.passive === 'ejected',
        passiveEjections: src.passiveEjections.get(key) ?? 0,
      });
    }
  }
  return {
    snapshot: snapshotDirector(src.director),
    reals,
    engine: engineStats(src.engine),
    process: src.process,
    events: src.events,
  };
}

/** The proxy engine's snapshot, when the engine has one (the Engine interface does not require it). */
function engineStats(engine: Engine | undefined): EngineStats | undefined {
  const snap = (engine as { snapshot?: () => EngineStats } | undefined)?.snapshot;
  if (!engine || typeof snap !== 'function') return undefined;
  const s = snap.call(engine);
  return { tracked: s.tracked, listening: s.listening, bufferedBytes: s.bufferedBytes };
}
