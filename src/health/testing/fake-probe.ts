import type { FakeClock } from '../../platform/fake-clock.ts';
import type { Probe, ProbeResult, ProbeTarget, ProbeType } from '../probe.ts';

/** A call a scripted probe received: when, what, and the signal it was given. */
export interface ProbeCall {
  readonly atMs: number;
  readonly target: ProbeTarget;
  readonly signal: AbortSignal;
}

/**
 * A probe for unit tests: `answer` decides each call's outcome from the call number (0-based):
 * a result, 'hang' (never settles, ignores the signal) or 'throw'.
 */
export function scriptedProbe(
  clock: FakeClock,
  answer: (n: number, target: ProbeTarget) => ProbeResult | 'hang' | 'throw',
  type: ProbeType = 'connect',
): Probe & { calls: ProbeCall[] } {
  const calls: ProbeCall[] = [];
  return {
    type,
    calls,
    run(target, _settings, signal) {
      const n = calls.length;
      calls.push({ atMs: clock.now(), target, signal });
      const a = answer(n, target);
      if (a === 'hang') return new Promise<ProbeResult>(() => {});
      if (a === 'throw') throw new Error(`scripted failure ${n}`);
      return Promise.resolve(a);
    },
  };
}

/** Move a FakeClock forward in `stepMs` steps, letting promise callbacks run after each step. */
export async function advance(clock: FakeClock, ms: number, stepMs = 1): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    clock.advance(Math.min(stepMs, ms - done));
    await new Promise((r) => setImmediate(r));
  }
}

export const OK: ProbeResult = { ok: true };
export const FAIL: ProbeResult = { ok: false, reason: 'scripted' };
