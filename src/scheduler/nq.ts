import { sedOverhead } from './least.ts';
import { isEligible, type Flow, type SchedDest, type Scheduler, type SchedulerFactory } from './scheduler.ts';

/**
 * nq — never queue (kernel ip_vs_nq.c): walking the list in order, the first eligible server with no active
 * connection is taken at once; if none is idle, the sed choice (least `(activeconns + 1) / weight`,
 * cross-multiplied, first minimum wins). Stateless.
 */
class NeverQueue implements Scheduler {
  readonly name = 'nq' as const;
  update(_dests: readonly SchedDest[]): void {}
  pick(dests: readonly SchedDest[], _flow: Flow): SchedDest | undefined {
    let least: SchedDest | undefined;
    let loh = 0;
    for (const d of dests) {
      if (!isEligible(d)) continue;
      if (d.activeConns === 0) return d;
      const doh = sedOverhead(d);
      if (least === undefined || loh * d.weight > doh * least.weight) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}

export const nq: SchedulerFactory = {
  name: 'nq',
  summary: 'never queue: an idle server at once, else shortest expected delay',
  flags: [],
  create: () => new NeverQueue(),
};
