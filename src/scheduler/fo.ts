import type { Flow, SchedDest, Scheduler, SchedulerFactory } from './scheduler.ts';

/**
 * fo — weighted fail-over (kernel ip_vs_fo.c): the available, not OVERLOAD-flagged server with the highest
 * weight (> 0); on equal weights the first in list order wins (strict `>`). Stateless.
 */
class FailOver implements Scheduler {
  readonly name = 'fo' as const;
  update(_dests: readonly SchedDest[]): void {}
  pick(dests: readonly SchedDest[], _flow: Flow): SchedDest | undefined {
    let best: SchedDest | undefined;
    let hw = 0;
    for (const d of dests) {
      if (d.overloaded || !d.available || d.weight <= hw) continue;
      best = d;
      hw = d.weight;
    }
    return best;
  }
}

export const fo: SchedulerFactory = {
  name: 'fo',
  summary: 'fail-over: the highest-weight usable server',
  flags: [],
  create: () => new FailOver(),
};
