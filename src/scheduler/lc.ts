import {
  connOverhead,
  isEligible,
  type Flow,
  type SchedDest,
  type Scheduler,
  type SchedulerFactory,
} from './scheduler.ts';

/**
 * lc — least-connection (kernel ip_vs_lc.c): among eligible servers the least
 * `activeconns * 256 + inactconns`; strict `<`, so the first minimum in list order wins. Weight matters only
 * as zero (never chosen) versus non-zero. Stateless.
 */
class LeastConnection implements Scheduler {
  readonly name = 'lc' as const;
  update(_dests: readonly SchedDest[]): void {}
  pick(dests: readonly SchedDest[], _flow: Flow): SchedDest | undefined {
    let least: SchedDest | undefined;
    let loh = 0;
    for (const d of dests) {
      if (!isEligible(d)) continue;
      const doh = connOverhead(d);
      if (least === undefined || doh < loh) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}

export const lc: SchedulerFactory = {
  name: 'lc',
  summary: 'least-connection: least 256*active + inactive',
  flags: [],
  create: () => new LeastConnection(),
};
