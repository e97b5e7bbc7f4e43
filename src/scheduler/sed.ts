import { leastWeighted, sedOverhead } from './least.ts';
import type { Flow, SchedDest, Scheduler, SchedulerFactory } from './scheduler.ts';

/**
 * sed — shortest expected delay (kernel ip_vs_sed.c): the server with the least `(activeconns + 1) / weight`,
 * compared cross-multiplied; the first minimum in list order wins. Inactive connections do not count.
 */
class ShortestExpectedDelay implements Scheduler {
  readonly name = 'sed' as const;
  update(_dests: readonly SchedDest[]): void {}
  pick(dests: readonly SchedDest[], _flow: Flow): SchedDest | undefined {
    return leastWeighted(dests, sedOverhead);
  }
}

export const sed: SchedulerFactory = {
  name: 'sed',
  summary: 'shortest expected delay: least (active + 1) / weight',
  flags: [],
  create: () => new ShortestExpectedDelay(),
};
