import type { Flow, SchedDest, Scheduler, SchedulerFactory } from './scheduler.ts';

/**
 * ovf — overflow (kernel ip_vs_ovf.c): the highest-weight server among those that are available, not
 * OVERLOAD-flagged, weight > 0 and with `activeconns <= weight`; once a server's active connections exceed
 * its weight the next one in weight order takes the overflow. Equal weights: first in list order (strict
 * `>`). Stateless. Only active connections count, so it suits TCP better than UDP.
 */
class Overflow implements Scheduler {
  readonly name = 'ovf' as const;
  update(_dests: readonly SchedDest[]): void {}
  pick(dests: readonly SchedDest[], _flow: Flow): SchedDest | undefined {
    let best: SchedDest | undefined;
    let hw = 0;
    for (const d of dests) {
      const w = d.weight;
      if (d.overloaded || !d.available || d.activeConns > w || w === 0) continue;
      if (best === undefined || w > hw) {
        best = d;
        hw = w;
      }
    }
    return best;
  }
}

export const ovf: SchedulerFactory = {
  name: 'ovf',
  summary: 'overflow: the highest-weight server until its active connections exceed its weight',
  flags: [],
  create: () => new Overflow(),
};
