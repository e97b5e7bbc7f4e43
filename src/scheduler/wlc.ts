import { leastWeighted, wlcOverhead } from './least.ts';
import type { Flow, SchedDest, Scheduler, SchedulerFactory } from './scheduler.ts';

/**
 * wlc — weighted least-connection (kernel ip_vs_wlc.c), the LVS default: the server with the least
 * `(activeconns * 256 + inactconns) / weight`, compared cross-multiplied; the first minimum in list order
 * (newest first) wins. Stateless.
 */
class WeightedLeastConnection implements Scheduler {
  readonly name = 'wlc' as const;
  update(_dests: readonly SchedDest[]): void {}
  pick(dests: readonly SchedDest[], _flow: Flow): SchedDest | undefined {
    return leastWeighted(dests, wlcOverhead);
  }
}

export const wlc: SchedulerFactory = {
  name: 'wlc',
  summary: 'weighted least-connection: least (256*active + inactive) / weight (default)',
  flags: [],
  create: () => new WeightedLeastConnection(),
};
