import type { Flow, SchedDest, Scheduler, SchedulerFactory } from './scheduler.ts';

const HEAD = -1;

/**
 * wrr — weighted round robin (kernel ip_vs_wrr.c). State: cursor `cl` (an index, or HEAD), current weight
 * `cw`, `mw` = max weight − (di − 1) and `di` = gcd of the positive weights (1 if none). Scan forward from the
 * cursor for a usable server with weight ≥ cw; each time the scan passes the list head cw drops by di and,
 * at ≤ 0, restarts at mw. Weights 4,3,2 (list order A,B,C) give A A B A B C A B C.
 *
 * `update` (kernel add/del/upd_dest) recomputes di and mw from the weights of available servers (an
 * unavailable server is one the kernel would not have in its list), puts the cursor back at the head and
 * clamps cw exactly as ip_vs_wrr_dest_changed does. `pick` also skips unavailable and OVERLOAD-flagged
 * servers; the stop/last-pass bookkeeping ends the scan with "none" when every server is skipped.
 */
class WeightedRoundRobin implements Scheduler {
  readonly name = 'wrr' as const;
  #cl = HEAD;
  #cw = 0;
  #mw = 0;
  #di = 1;

  update(dests: readonly SchedDest[]): void {
    let g = 0;
    let max = 0;
    for (const d of dests) {
      const w = d.available ? d.weight : 0;
      if (w > 0) g = g > 0 ? gcd(w, g) : w;
      if (w > max) max = w;
    }
    this.#cl = HEAD;
    this.#di = g > 0 ? g : 1;
    this.#mw = max - (this.#di - 1);
    if (this.#cw > this.#mw || this.#cw === 0) this.#cw = this.#mw;
    else if (this.#di > 1) this.#cw = Math.trunc(this.#cw / this.#di) * this.#di + 1;
  }

  pick(dests: readonly SchedDest[], _flow: Flow): SchedDest | undefined {
    if (this.#mw <= 0) return undefined;
    const n = dests.length;
    const last = Math.min(this.#cl, n - 1);
    let stop = Number.NaN;
    let lastPass = false;
    let restarted = false;
    let i = last;
    for (;;) {
      for (i = i + 1; i < n; i++) {
        const d = dests[i] as SchedDest;
        if (!d.overloaded && d.available && d.weight >= this.#cw) {
          this.#cl = i;
          return d;
        }
        if (i === stop) {
          this.#cl = i;
          return undefined;
        }
      }
      i = HEAD;
      this.#cw -= this.#di;
      if (this.#cw <= 0) {
        this.#cw = this.#mw;
        if (lastPass || last === HEAD) {
          this.#cl = HEAD;
          return undefined;
        }
        restarted = true;
      }
      lastPass = this.#cw <= this.#di;
      if (lastPass && restarted && last !== HEAD) stop = last;
    }
  }
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

export const wrr: SchedulerFactory = {
  name: 'wrr',
  summary: 'weighted round robin: servers in turn, in proportion to their weights',
  flags: [],
  create: () => new WeightedRoundRobin(),
};
