import type { StatsSnapshot } from './stats.ts';

/**
 * Rate estimation the way the kernel's ip_vs_est.c does it: every 2 s take the difference of each total,
 * turn it into a per-second rate and fold it into an exponentially weighted average with weight 1/4
 * (`avg += (rate - avg) / 4`). ipvsadm --rate prints these averages, rounded.
 */
export const ESTIMATOR_INTERVAL_MS = 2000;

export interface Rates {
  cps: number;
  inPps: number;
  outPps: number;
  inBps: number;
  outBps: number;
}

export interface EstimatorState {
  last: StatsSnapshot;
  rates: Rates;
}

export function initialEstimate(totals: StatsSnapshot): EstimatorState {
  return { last: { ...totals }, rates: { cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 } };
}

/** One estimator tick: `elapsedMs` since the previous tick (normally ESTIMATOR_INTERVAL_MS). Pure. */
export function estimateStep(prev: EstimatorState, totals: StatsSnapshot, elapsedMs: number): EstimatorState {
  const s = Math.max(elapsedMs, 1) / 1000;
  const fold = (avg: number, now: number, before: number) => {
    // A zeroed counter (ipvsadm -Z) restarts from the new total instead of producing a negative rate.
    const rate = Math.max(0, now - before) / s;
    return avg + (rate - avg) / 4;
  };
  const r = prev.rates;
  const l = prev.last;
  return {
    last: { ...totals },
    rates: {
      cps: fold(r.cps, totals.conns, l.conns),
      inPps: fold(r.inPps, totals.inPkts, l.inPkts),
      outPps: fold(r.outPps, totals.outPkts, l.outPkts),
      inBps: fold(r.inBps, totals.inBytes, l.inBytes),
      outBps: fold(r.outBps, totals.outBytes, l.outBytes),
    },
  };
}

/** Rates as ipvsadm prints them: whole numbers. */
export function roundRates(r: Rates): Rates {
  return {
    cps: Math.round(r.cps),
    inPps: Math.round(r.inPps),
    outPps: Math.round(r.outPps),
    inBps: Math.round(r.inBps),
    outBps: Math.round(r.outBps),
  };
}
