import { isEligible, type SchedDest, type Scheduler, type SchedulerFactory } from './scheduler.ts';

/**
 * rr — round robin (kernel ip_vs_rr.c). Keep a cursor; scan forward, wrapping, from the entry after the
 * cursor to the first eligible server, which becomes the new cursor. When the cursor's server is deleted
 * the cursor moves to its predecessor in the old list, so the scan resumes where it would have.
 */
class RoundRobin implements Scheduler {
  readonly name = 'rr' as const;
  #cursor: string | undefined;
  #last: readonly string[] = [];

  update(dests: readonly SchedDest[]): void {
    const ids = dests.map((d) => d.id);
    if (this.#cursor !== undefined && !ids.includes(this.#cursor)) {
      this.#cursor = predecessorStillPresent(this.#last, this.#cursor, ids);
    }
    this.#last = ids;
  }

  pick(dests: readonly SchedDest[], _flow: unknown): SchedDest | undefined {
    const n = dests.length;
    if (n === 0) return undefined;
    const at = this.#cursor === undefined ? -1 : dests.findIndex((d) => d.id === this.#cursor);
    for (let step = 1; step <= n; step++) {
      const d = dests[(at + step + n) % n] as SchedDest;
      if (isEligible(d)) {
        this.#cursor = d.id;
        return d;
      }
    }
    return undefined;
  }
}

/** The nearest entry before `id` in `old` that is still in `now` (undefined = list head). */
function predecessorStillPresent(
  old: readonly string[],
  id: string,
  now: readonly string[],
): string | undefined {
  for (let i = old.indexOf(id) - 1; i >= 0; i--) {
    const p = old[i] as string;
    if (now.includes(p)) return p;
  }
  return undefined;
}

export const rr: SchedulerFactory = {
  name: 'rr',
  summary: 'round robin: each eligible real server in turn',
  flags: [],
  create: () => new RoundRobin(),
};
