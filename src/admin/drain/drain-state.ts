/**
 * The drain workflow's state machine (docs/api.md "Drain"), pure. A drain starts when the operator sets a
 * real server to admin `drain` (weight 0 for the scheduler) and then watches its connections:
 *
 *   draining ──conns = 0──────────────▶ drained    ─┐
 *   draining ──deadline passed────────▶ timed-out  ─┼─(remove asked) remove effect ─▶ removed = true
 *   draining ──cancel (enable, gone)──▶ cancelled   ┘
 *
 * Finished states never change phase again. Effects come in the order the watcher must carry them out. Times are the Clock's monotonic milliseconds.
 */
export type DrainPhase = 'draining' | 'drained' | 'timed-out' | 'cancelled';

export interface DrainState {
  readonly phase: DrainPhase;
  readonly startedMs: number;
  /** When a still-draining server is given up on; undefined = wait for ever. */
  readonly deadlineMs: number | undefined;
  /** Active + inactive connections at the last observation. */
  readonly remaining: number;
  readonly endedMs: number | undefined;
  /** Remove the server from its service once drained or timed out. */
  readonly remove: boolean;
  readonly removed: boolean;
  /** Why a drain was cancelled. */
  readonly reason: string | undefined;
}

export type DrainInput =
  | { readonly type: 'observe'; readonly nowMs: number; readonly conns: number }
  | { readonly type: 'cancel'; readonly nowMs: number; readonly reason: string }
  /** The removal asked for by a `remove` effect was carried out. */
  | { readonly type: 'removed' };

/** What the watcher must do after a step: tell (events) and act (remove the server). */
export type DrainEffect = 'progress' | 'finished' | 'cancelled' | 'remove';

export interface DrainStep {
  readonly state: DrainState;
  readonly effects: readonly DrainEffect[];
}

export function startDrain(
  nowMs: number,
  conns: number,
  timeoutMs: number | undefined,
  remove: boolean,
): DrainStep {
  const state: DrainState = {
    phase: 'draining',
    startedMs: nowMs,
    deadlineMs: timeoutMs === undefined ? undefined : nowMs + timeoutMs,
    remaining: conns,
    endedMs: undefined,
    remove,
    removed: false,
    reason: undefined,
  };
  // The first observation happens at once: a server with no connections is drained immediately.
  return drainStep(state, { type: 'observe', nowMs, conns });
}

/** The one transition function. */
export function drainStep(s: DrainState, input: DrainInput): DrainStep {
  if (input.type === 'removed') {
    return { state: s.removed ? s : { ...s, removed: true }, effects: [] };
  }
  if (s.phase !== 'draining') return { state: s, effects: [] };
  if (input.type === 'cancel') {
    return {
      state: { ...s, phase: 'cancelled', endedMs: input.nowMs, reason: input.reason },
      effects: ['cancelled'],
    };
  }
  const { nowMs, conns } = input;
  const timedOut = s.deadlineMs !== undefined && nowMs >= s.deadlineMs;
  if (conns === 0 || timedOut) {
    const phase: DrainPhase = conns === 0 ? 'drained' : 'timed-out';
    // Remove before telling: the drain-finished event then says whether the server is gone.
    const effects: DrainEffect[] = conns === s.remaining ? [] : ['progress'];
    if (s.remove) effects.push('remove');
    effects.push('finished');
    return { state: { ...s, phase, remaining: conns, endedMs: nowMs }, effects };
  }
  if (conns !== s.remaining) return { state: { ...s, remaining: conns }, effects: ['progress'] };
  return { state: s, effects: [] };
}
