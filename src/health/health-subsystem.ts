import type { Director } from '../director/director.ts';
import type { Health, RealServer } from '../director/real-server.ts';
import type { VirtualService } from '../director/virtual-service.ts';
import type { Clock, Timer } from '../platform/clock.ts';
import type { Logger } from '../platform/log.ts';
import type { Rng } from '../platform/random.ts';
import type { Alert } from './alert.ts';
import { sendAlert } from './alerter.ts';
import { applyOps } from './apply-ops.ts';
import { type CheckInstance, type CheckRequest, dedupeChecks } from './check-key.ts';
import { type CommandRunner, spawnRunner } from './command-runner.ts';
import { decide, fallbackOut, type RealView, type ServicePolicy, type Wanted } from './consequences.ts';
import { healthOf, initialState } from './dampener.ts';
import type { HealthPlan, ServiceHealth } from './health-plan.ts';
import { inMaintenance, readMaintenanceDir } from './maintenance.ts';
import { type CheckReport, type CheckStatus, Monitor } from './monitor.ts';
import type { Probe, ProbeType } from './probe.ts';
import { createProbe } from './probe-registry.ts';
import { readStateFile, StateFileWriter } from './state-file.ts';
import { fetchPoster, type JsonPoster } from './webhook.ts';

export interface HealthDeps {
  readonly director: Director;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: Logger;
  /** Default: the probe registry. */
  readonly probe?: (type: ProbeType) => Probe;
  /** Default: spawnRunner (child_process, no shell). */
  readonly runner?: CommandRunner;
  /** Default: fetchPoster. */
  readonly post?: JsonPoster;
  /** How often the maintenance directory is re-read (default: the shortest check interval, ≥ 100 ms; 1 s without checks). */
  readonly maintenanceScanMs?: number;
}

/** What the subsystem did, for tests and the admin side; listeners must not throw. */
export type HealthEvent =
  | { readonly type: 'report'; readonly report: CheckReport; readonly users: CheckInstance['users'] }
  | {
      readonly type: 'transition';
      readonly serviceId: string;
      readonly realId: string;
      readonly from: Health;
      readonly to: Health;
      readonly reason: string | undefined;
    }
  | { readonly type: 'fallback'; readonly serviceId: string; readonly active: boolean }
  /** `delivered` settles when the webhook and command deliveries are done. */
  | { readonly type: 'alert'; readonly alert: Alert; readonly delivered: Promise<void> };

const NO_POLICY: Omit<ServiceHealth, 'serviceId'> = { downAction: 'remove' };

/**
 * The health checker (ldirectord's job): runs the plan's checks through the Monitor, damps them, and
 * turns transitions into director changes, fallback in/out, commands and alerts (consequences.ts).
 * Keeps health across restarts (state file) and reloads (`reconfigure`). Start after the engine, stop first.
 */
export class HealthSubsystem {
  readonly #deps: HealthDeps;
  readonly #monitor: Monitor;
  readonly #listeners = new Set<(e: HealthEvent) => void>();
  #plan: HealthPlan;
  #policies = new Map<string, ServiceHealth>();
  #instances: CheckInstance[] = [];
  #byKey = new Map<string, CheckInstance>();
  #keyOf = new Map<string, string>();
  #fallbackActive = new Map<string, boolean>();
  #maintenance = new Set<string>();
  #recorded = new Map<string, 'up' | 'down'>();
  #writer: StateFileWriter | undefined;
  #scanTimer: Timer | undefined;
  #scanning = false;
  #stopped = false;

  /** Construct without starting (subscribe with `on` first to see the start's own events), then `start()`. */
  constructor(plan: HealthPlan, deps: HealthDeps) {
    this.#plan = plan;
    this.#deps = deps;
    this.#monitor = new Monitor({
      clock: deps.clock,
      rng: deps.rng,
      log: deps.log,
      probe: deps.probe ?? createProbe,
      onReport: (r) => this.#onReport(r),
    });
  }

  static async start(plan: HealthPlan, deps: HealthDeps): Promise<HealthSubsystem> {
    const h = new HealthSubsystem(plan, deps);
    await h.start();
    return h;
  }

  /** Read the state file and maintenance directory, apply the initial health, start the checks. */
  async start(): Promise<void> {
    await this.#init();
  }

  on(listener: (e: HealthEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The check behind one (service, real), if it is checked. */
  checkOf(serviceId: string, realId: string): CheckStatus | undefined {
    const key = this.#keyOf.get(userKey(serviceId, realId));
    return key === undefined ? undefined : this.#monitor.status(key);
  }

  get checkCount(): number {
    return this.#instances.length;
  }

  /**
   * Apply a new plan (reload): checks whose key is unchanged keep their damping state and timers, new
   * ones start, removed ones stop. Call after the director holds the new services and reals. A fallback
   * whose configuration changed or disappeared is taken out first (with its stop command).
   */
  async reconfigure(plan: HealthPlan): Promise<void> {
    if (this.#stopped) return;
    const next = new Map(plan.services.map((s) => [s.serviceId, s]));
    for (const [id, active] of this.#fallbackActive) {
      const old = this.#policies.get(id);
      if (!active || !old || sameFallback(old, next.get(id))) continue;
      const svc = this.#deps.director.services.get(id);
      if (svc) this.#apply(svc, fallbackOut(policyOf(svc, old)), []);
      this.#fallbackActive.set(id, false);
    }
    this.#plan = plan;
    if (plan.global.maintenanceDir !== undefined) this.#maintenance = await this.#readMaintenance();
    this.#build();
    this.#startScan();
    this.#evaluateAll();
  }

  /** Stop checking and scanning; resolves once the state file is written. Leaves the director as it is. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#monitor.stop();
    this.#scanTimer?.cancel();
    await this.#writer?.flush();
  }

  async #init(): Promise<void> {
    const g = this.#plan.global;
    const warn = (message: string) =>
      this.#deps.log.warn('health-state-file', { path: g.stateFile, message });
    if (g.stateFile !== undefined) {
      this.#recorded = await readStateFile(g.stateFile, warn);
      this.#writer = new StateFileWriter(g.stateFile, warn);
    }
    if (g.maintenanceDir !== undefined) this.#maintenance = await this.#readMaintenance();
    this.#build();
    this.#startScan();
    this.#evaluateAll();
    this.#deps.log.info('health-started', { checks: this.#instances.length, services: this.#policies.size });
  }

  /** Plan + director → deduplicated checks; the monitor reconciles; reals get their downAction. */
  #build(): void {
    const { director, log } = this.#deps;
    this.#policies = new Map(this.#plan.services.map((s) => [s.serviceId, s]));
    const requests: CheckRequest[] = [];
    for (const s of this.#plan.services) {
      const svc = director.services.get(s.serviceId);
      if (!svc) {
        log.warn('health-unknown-service', { service: s.serviceId });
        continue;
      }
      for (const r of reals(svc)) {
        if (r.downAction !== s.downAction) director.editReal(svc.id, r.id, { downAction: s.downAction });
        const check = s.check;
        if (!check || check.type === 'off') continue;
        const target = {
          protocol: svc.spec.protocol,
          address: r.address,
          port: check.port ?? r.port,
          virtualAddress: svc.spec.address,
          virtualPort: svc.spec.port,
        };
        requests.push({ user: { serviceId: svc.id, realId: r.id }, target, spec: check });
      }
    }
    this.#instances = dedupeChecks(requests);
    this.#byKey = new Map(this.#instances.map((c) => [c.key, c]));
    this.#keyOf = new Map(
      this.#instances.flatMap((c) => c.users.map((u) => [userKey(u.serviceId, u.realId), c.key])),
    );
    const startUp = this.#plan.global.startUp;
    this.#monitor.reconcile(
      this.#instances.map((c) => ({ ...c, initial: initialState(this.#recorded.get(c.key), startUp) })),
    );
  }

  #onReport(report: CheckReport): void {
    if (this.#stopped) return;
    const check = this.#byKey.get(report.key);
    if (!check) return;
    const { result, step } = report;
    const text = result.ok ? (result.detail ?? 'ok') : result.reason;
    const services = new Set<string>();
    for (const u of check.users) {
      const r = this.#deps.director.services.get(u.serviceId)?.findReal(u.realId);
      if (r) r.lastCheck = { ok: result.ok, text, atMs: report.atMs };
      services.add(u.serviceId);
    }
    const ev = step.event;
    if (ev.kind === 'soft-failure' || ev.kind === 'soft-success') {
      const what = ev.kind === 'soft-failure' ? 'Soft failure' : 'Soft success';
      this.#deps.log.info('health-soft', {
        check: `${check.spec.type} ${check.target.address}:${check.target.port}`,
        message: `${what} ${ev.count}/${ev.of}`,
        result: text,
      });
    }
    this.#emit({ type: 'report', report, users: check.users });
    for (const id of services) this.#evaluate(id);
    this.#record(report.key, step.state.kind === 'unknown' ? undefined : healthOf(step.state));
  }

  #record(key: string, health: 'up' | 'down' | undefined): void {
    if (!this.#writer || health === undefined || this.#recorded.get(key) === health) return;
    this.#recorded.set(key, health);
    const current = new Map<string, 'up' | 'down'>();
    for (const c of this.#instances) {
      const h = this.#recorded.get(c.key);
      if (h) current.set(c.key, h);
    }
    this.#writer.write(current);
  }

  #evaluateAll(): void {
    for (const id of [...this.#deps.director.services.keys()]) this.#evaluate(id);
  }

  #evaluate(serviceId: string): void {
    const svc = this.#deps.director.services.get(serviceId);
    if (!svc) return;
    const policy = policyOf(svc, this.#policies.get(serviceId) ?? { serviceId, ...NO_POLICY });
    let settled = true;
    const view: RealView[] = reals(svc).map((r) => {
      const status = this.checkOf(serviceId, r.id);
      if (status?.state.kind === 'unknown') settled = false;
      return { id: r.id, health: r.health, wanted: this.#wanted(r, status) };
    });
    const fallbackActive = this.#fallbackActive.get(serviceId) ?? false;
    const ops = decide(policy, { reals: view, fallbackActive, settled });
    this.#apply(svc, ops, view);
  }

  #wanted(r: RealServer, status: CheckStatus | undefined): Wanted {
    if (this.#maintenance.size > 0 && inMaintenance(this.#maintenance, r.address, r.port)) {
      return { health: 'down', reason: 'maintenance' };
    }
    if (!status) return { health: 'unknown', reason: undefined };
    const last = status.last;
    const reason = last
      ? last.ok
        ? (last.detail ?? 'ok')
        : last.reason
      : status.state.kind === 'unknown'
        ? 'not checked yet'
        : 'recorded state';
    return { health: healthOf(status.state), reason, ...(status.firstVerdict ? { first: true } : {}) };
  }

  #apply(svc: VirtualService, ops: ReturnType<typeof decide>, view: readonly RealView[]): void {
    if (ops.length === 0) return;
    const { director, log, clock } = this.#deps;
    applyOps(svc.id, ops, {
      director,
      log,
      runner: this.#deps.runner ?? spawnRunner,
      alert: (a) => {
        const delivered = sendAlert(a, this.#plan.global.alerts, {
          clock,
          log,
          runner: this.#deps.runner ?? spawnRunner,
          post: this.#deps.post ?? fetchPoster,
        });
        this.#emit({ type: 'alert', alert: a, delivered });
      },
      setFallbackActive: (active) => {
        this.#fallbackActive.set(svc.id, active);
        this.#emit({ type: 'fallback', serviceId: svc.id, active });
      },
    });
    for (const o of ops) {
      if (o.op !== 'set-health') continue;
      const from = view.find((r) => r.id === o.realId)?.health ?? 'unknown';
      this.#emit({
        type: 'transition',
        serviceId: svc.id,
        realId: o.realId,
        from,
        to: o.health,
        reason: o.reason,
      });
    }
  }

  #startScan(): void {
    this.#scanTimer?.cancel();
    this.#scanTimer = undefined;
    if (this.#plan.global.maintenanceDir === undefined || this.#stopped) return;
    const intervals = this.#instances.map((c) => c.spec.intervalMs);
    const every =
      this.#deps.maintenanceScanMs ?? (intervals.length ? Math.max(100, Math.min(...intervals)) : 1000);
    this.#scanTimer = this.#deps.clock.setInterval(() => void this.#scan(), every);
  }

  async #scan(): Promise<void> {
    if (this.#scanning || this.#stopped) return;
    this.#scanning = true;
    try {
      const names = await this.#readMaintenance();
      if (this.#stopped || sameSet(names, this.#maintenance)) return;
      this.#maintenance = names;
      this.#evaluateAll();
    } finally {
      this.#scanning = false;
    }
  }

  #readMaintenance(): Promise<Set<string>> {
    const dir = this.#plan.global.maintenanceDir;
    if (dir === undefined) return Promise.resolve(new Set());
    return readMaintenanceDir(dir, (e) =>
      this.#deps.log.warn('health-maintenance-dir', { dir, message: e.message }),
    );
  }

  #emit(e: HealthEvent): void {
    for (const l of this.#listeners) l(e);
  }
}

function reals(svc: VirtualService): RealServer[] {
  return svc.dests.filter((d) => !d.fallback);
}

function userKey(serviceId: string, realId: string): string {
  return `${serviceId} ${realId}`;
}

function policyOf(svc: VirtualService, s: ServiceHealth): ServicePolicy {
  return {
    serviceId: svc.id,
    protocol: svc.spec.protocol,
    address: svc.spec.address,
    port: svc.spec.port,
    downAction: s.downAction,
    ...(s.fallback ? { fallback: s.fallback } : {}),
    ...(s.fallbackCommand ? { fallbackCommand: s.fallbackCommand } : {}),
  };
}

function sameFallback(a: ServiceHealth, b: ServiceHealth | undefined): boolean {
  if (!b) return false;
  return JSON.stringify([a.fallback, a.fallbackCommand]) === JSON.stringify([b.fallback, b.fallbackCommand]);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
