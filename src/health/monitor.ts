import type { Clock, Timer } from '../platform/clock.ts';
import type { Logger } from '../platform/log.ts';
import type { Rng } from '../platform/random.ts';
import type { CheckSpec } from './check-spec.ts';
import { type DampState, type DampStep, step } from './dampener.ts';
import type { Probe, ProbeResult, ProbeTarget, ProbeType } from './probe.ts';

/** A check to run: its key (check-key.ts), where, how, and the damping state to start from. */
export interface MonitoredCheck {
  readonly key: string;
  readonly target: ProbeTarget;
  readonly spec: CheckSpec;
  /** Used only when the key is new to the monitor; a running check keeps its own state. */
  readonly initial: DampState;
}

/** One finished check run, after damping. `atMs` is wall-clock epoch ms (for display). */
export interface CheckReport {
  readonly key: string;
  readonly result: ProbeResult;
  readonly step: DampStep;
  readonly atMs: number;
}

export interface CheckStatus {
  readonly state: DampState;
  readonly last: ProbeResult | undefined;
  readonly lastAtMs: number | undefined;
  /** The last run took the check out of `unknown`: its first verdict (not a change worth an alert). */
  readonly firstVerdict: boolean;
}

export interface MonitorDeps {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: Logger;
  /** A fresh probe of `type` (one per check: probes may keep per-check state). */
  readonly probe: (type: ProbeType) => Probe;
  readonly onReport: (r: CheckReport) => void;
}

interface Running {
  readonly key: string;
  target: ProbeTarget;
  readonly spec: CheckSpec;
  readonly probe: Probe;
  state: DampState;
  last: ProbeResult | undefined;
  lastAtMs: number | undefined;
  firstVerdict: boolean;
  timer: Timer | undefined;
  inflight: AbortController | undefined;
  stopped: boolean;
}

/**
 * Runs checks. Each check has its own timer chain (never a serial loop), so a slow or hanging probe delays
 * nobody else: the first run is at a random point within one interval (jitter, so a thousand checks do
 * not fire together), later runs start `interval` after the previous start, or when the previous run
 * ends if it took longer (runs of one check never overlap). A run is aborted at the check's timeout
 * (its AbortSignal fires and the run counts as a failure even if the probe ignores the signal). A probe
 * that throws is a failure; the error is logged and the check keeps running.
 */
export class Monitor {
  readonly #deps: MonitorDeps;
  readonly #checks = new Map<string, Running>();

  constructor(deps: MonitorDeps) {
    this.#deps = deps;
  }

  /**
   * Make the running set equal `checks`: keys already running keep their state and timers (a reload does
   * not reset damping), new keys start with their `initial` state and a jittered first run, keys no
   * longer present stop (an in-flight run is aborted and its result discarded).
   */
  reconcile(checks: readonly MonitoredCheck[]): void {
    const wanted = new Map(checks.map((c) => [c.key, c]));
    for (const [key, r] of this.#checks) if (!wanted.has(key)) this.#stopOne(r);
    for (const c of checks) {
      const r = this.#checks.get(c.key);
      if (r) r.target = c.target;
      else this.#start(c);
    }
  }

  stop(): void {
    for (const r of this.#checks.values()) this.#stopOne(r);
  }

  status(key: string): CheckStatus | undefined {
    const r = this.#checks.get(key);
    return r && { state: r.state, last: r.last, lastAtMs: r.lastAtMs, firstVerdict: r.firstVerdict };
  }

  get keys(): string[] {
    return [...this.#checks.keys()];
  }

  #start(c: MonitoredCheck): void {
    const r: Running = {
      key: c.key,
      target: c.target,
      spec: c.spec,
      probe: this.#deps.probe(c.spec.type),
      state: c.initial,
      last: undefined,
      lastAtMs: undefined,
      firstVerdict: false,
      timer: undefined,
      inflight: undefined,
      stopped: false,
    };
    this.#checks.set(c.key, r);
    this.#schedule(r, Math.floor(this.#deps.rng.next() * c.spec.intervalMs));
  }

  #stopOne(r: Running): void {
    r.stopped = true;
    r.timer?.cancel();
    r.inflight?.abort(new Error('check stopped'));
    this.#checks.delete(r.key);
  }

  #schedule(r: Running, delayMs: number): void {
    r.timer = this.#deps.clock.setTimeout(() => void this.#run(r), delayMs);
  }

  async #run(r: Running): Promise<void> {
    const { clock } = this.#deps;
    const started = clock.now();
    const ac = new AbortController();
    r.inflight = ac;
    let deadline: Timer | undefined;
    const timedOut = new Promise<ProbeResult>((resolve) => {
      deadline = clock.setTimeout(() => {
        ac.abort(new Error('check timeout'));
        resolve({ ok: false, reason: `timeout after ${r.spec.timeoutMs} ms` });
      }, r.spec.timeoutMs);
    });
    let result: ProbeResult;
    try {
      result = await Promise.race([this.#attempt(r, ac.signal), timedOut]);
    } finally {
      deadline?.cancel();
      r.inflight = undefined;
    }
    if (r.stopped) return;
    const out = step(r.state, result, r.spec);
    r.firstVerdict = r.state.kind === 'unknown' && out.state.kind !== 'unknown';
    r.state = out.state;
    r.last = result;
    r.lastAtMs = clock.wallNow();
    this.#schedule(r, Math.max(0, started + r.spec.intervalMs - clock.now()));
    try {
      this.#deps.onReport({ key: r.key, result, step: out, atMs: r.lastAtMs });
    } catch (e) {
      this.#deps.log.error('health-report-error', { check: r.key, message: errorText(e) });
    }
  }

  /** The probe's answer; a throw (sync or async) becomes a logged failure. The probe starts now. */
  async #attempt(r: Running, signal: AbortSignal): Promise<ProbeResult> {
    try {
      return await r.probe.run(r.target, r.spec.settings, signal);
    } catch (e) {
      if (signal.aborted) return { ok: false, reason: `aborted: ${errorText(signal.reason)}` };
      this.#deps.log.error('probe-error', { check: r.key, type: r.spec.type, message: errorText(e) });
      return { ok: false, reason: `probe error: ${errorText(e)}` };
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
