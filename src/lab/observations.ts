/**
 * What a lab run observed, in wall-clock milliseconds (Date.now(); every process runs on this machine).
 * The runner records; invariants.ts judges. Plain data, JSON-serialisable.
 */

/** The directors whose LAN device carried the VIP at `t` (`ip -j addr`, sampled every ~50 ms). */
export interface OwnerSample {
  readonly t: number;
  /** Holders whose `webfarm run` has started and has not exited (lab-farm.ts `owners`). */
  readonly owners: readonly string[];
  /** Holders that are not: killed, or started again but not yet running (a stale address). Not judged. */
  readonly stale?: readonly string[];
}

/**
 * Client connections each director forwarded so far (cumulative, sampled every ~200 ms): SYNs to the VIP
 * arriving at the direct-routing real servers, by the frame's source MAC (direct routing rewrites it to
 * the forwarding director's own). Shows which director's kernel path carried the traffic — also one whose
 * process was killed but whose rules and address were left in place.
 */
export interface ViaSample {
  readonly t: number;
  readonly conns: Readonly<Record<string, number>>;
}

/** One client request: started at `t`, took `ms`; `body` is the answer (a server's name) or the error. */
export interface RequestOutcome {
  readonly t: number;
  readonly ms: number;
  readonly ok: boolean;
  readonly body: string;
}

/** A connection accepted by a host's built-in web server at `t`. */
export interface ConnEvent {
  readonly t: number;
  readonly host: string;
  /** The request's path: health checks and client requests are told apart by it. */
  readonly path: string;
}

/** One timeline step as it was applied. */
export interface StepRecord {
  readonly name: string;
  /** When the fault was applied. */
  readonly t: number;
  /** Owners just before the fault. */
  readonly before: readonly string[];
  /** The host `active`/`last` resolved to, when the fault has one. */
  readonly target?: string;
  /** Exit codes of `webfarm reload` (reload steps). */
  readonly reloadCodes?: readonly (number | null)[];
  /** Why the fault could not be applied. */
  readonly error?: string;
}

export interface RunRecord {
  readonly start: number;
  readonly end: number;
  readonly samples: readonly OwnerSample[];
  readonly requests: readonly RequestOutcome[];
  readonly conns: readonly ConnEvent[];
  readonly steps: readonly StepRecord[];
  /** Absent or empty when the farm has no direct-routing real server. */
  readonly via?: readonly ViaSample[];
}
