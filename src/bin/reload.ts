import type { ReloadOutcome } from '../admin/routes/reload.ts';
import { tableDigest } from '../admin/state-file.ts';
import type { StatePersister } from '../admin/state-file-write.ts';
import { type FarmTable, type PlanOp, describeOp, diffPlans, summarize } from '../config/diff.ts';
import { applyPlanOps, tableOf } from '../director/apply-plan.ts';
import type { Director } from '../director/director.ts';
import { type FarmPlan, buildDirector } from '../director/farm-plan.ts';
import type { Engine } from '../engines/engine.ts';
import { EMPTY_HEALTH_PLAN } from '../health/health-plan.ts';
import type { HealthSubsystem } from '../health/health-subsystem.ts';
import { loadFarmPlan } from '../cli/load-plan.ts';
import { type ErrorCode, isWebfarmError } from '../model/errors.ts';
import type { Logger } from '../platform/log.ts';
import { probeListen } from './listen-probe.ts';

export type { ReloadOutcome };

export interface ReloaderDeps {
  /** The config file the director was started from; undefined (demo farm) = nothing to reload. */
  readonly configPath: string | undefined;
  /** The plan the director was started from (its health part is what the health checker runs). */
  readonly plan: FarmPlan;
  readonly director: Director;
  readonly engine: Engine;
  readonly health: () => Pick<HealthSubsystem, 'reconfigure'> | undefined;
  readonly persister: StatePersister | undefined;
  readonly log: Logger;
  /** Default: loadFarmPlan (read + validate + toDirector). */
  readonly load?: typeof loadFarmPlan;
  /** Default: probeListen. */
  readonly probe?: typeof probeListen;
}

/**
 * Reload (SIGHUP, `webfarm reload`, POST /v1/reload): re-read the config, check everything, then apply
 * only the difference from the running table (docs/operations.md "Reload"). A config with any error, or
 * a new service whose address cannot be bound, changes nothing. The config wins over runtime changes
 * for whatever it expresses; real servers it keeps keep their health, admin state, counters and
 * connections. Reloads run one at a time, in the order asked.
 */
export class Reloader {
  readonly #deps: ReloaderDeps;
  #plan: FarmPlan;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: ReloaderDeps) {
    this.#deps = deps;
    this.#plan = deps.plan;
  }

  reload(): Promise<ReloadOutcome> {
    const run = this.#queue.then(() => this.#reload());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reload(): Promise<ReloadOutcome> {
    const outcome = await this.#attempt();
    this.#logOutcome(outcome);
    return outcome;
  }

  async #attempt(): Promise<ReloadOutcome> {
    const { configPath, director, engine, persister } = this.#deps;
    if (configPath === undefined) {
      return refused(
        409,
        'WF_ERR_RELOAD_UNAVAILABLE',
        'this director runs the demo farm: no config file to reload',
        [],
      );
    }
    const next = await this.#loadChecked(configPath);
    if (!next.ok) return next.outcome;
    const ops = diffPlans({ ...tableOf(director), ...healthOf(this.#plan) }, next.plan);
    const unbindable = await this.#probeNewServices(ops);
    if (unbindable.length > 0) {
      return refused(409, 'WF_ERR_RELOAD_BIND', 'a new service cannot listen; nothing applied', unbindable);
    }
    persister?.suspend();
    try {
      await applyPlanOps(ops, director, engine);
    } catch (e) {
      if (!isWebfarmError(e)) throw e;
      const engineSaid = e.code.startsWith('WF_ERR_ENGINE_');
      const [status, code] = engineSaid
        ? ([409, 'WF_ERR_RELOAD_BIND'] as const)
        : ([422, 'WF_ERR_RELOAD_CONFIG'] as const);
      return refused(status, code, `${e.message}; nothing applied`, [e.message]);
    } finally {
      persister?.resume();
    }
    const health = this.#deps.health();
    if (health && ops.length > 0) await health.reconfigure(next.plan.health ?? EMPTY_HEALTH_PLAN);
    this.#warnRestartOnly(next.plan);
    this.#plan = next.plan;
    persister?.rebase(tableDigest(next.plan));
    return { ok: true, config: configPath, changed: summarize(ops), operations: ops.map(describeOp) };
  }

  /** Load, validate and pre-build (every director invariant) without touching the running director. */
  async #loadChecked(
    file: string,
  ): Promise<{ ok: true; plan: FarmPlan } | { ok: false; outcome: ReloadOutcome }> {
    const bad = (errors: readonly string[]) => ({
      ok: false as const,
      outcome: refused(
        422,
        'WF_ERR_RELOAD_CONFIG',
        `${file}: ${count(errors.length)}; nothing applied`,
        errors,
      ),
    });
    let loaded: Awaited<ReturnType<typeof loadFarmPlan>>;
    try {
      loaded = await (this.#deps.load ?? loadFarmPlan)(file);
    } catch (e) {
      if (!isWebfarmError(e)) throw e;
      return bad([`${file}: ${e.message}`]);
    }
    if (!loaded.ok) return bad(loaded.errors);
    try {
      buildDirector(loaded.plan, this.#deps.director.clock);
    } catch (e) {
      if (!isWebfarmError(e)) throw e;
      return bad([`${file}: ${e.message}`]);
    }
    return { ok: true, plan: loaded.plan };
  }

  async #probeNewServices(ops: readonly PlanOp[]): Promise<string[]> {
    const probe = this.#deps.probe ?? probeListen;
    const adds = ops.filter((o) => o.op === 'add-service' && o.spec.port !== 0);
    const results = await Promise.all(
      adds.map(async (o) => {
        if (o.op !== 'add-service') return undefined;
        const why = await probe(o.spec.protocol, o.spec.address, o.spec.port);
        return why === undefined ? undefined : `${o.serviceId}: cannot listen: ${why}`;
      }),
    );
    return results.filter((r): r is string => r !== undefined);
  }

  /** Settings a reload cannot change in a running process. */
  #warnRestartOnly(next: FarmPlan): void {
    if (next.admin.socket !== this.#plan.admin.socket) {
      this.#deps.log.warn('reload-restart-needed', {
        setting: 'admin.socket',
        reason: 'the socket stays until restart',
      });
    }
  }

  #logOutcome(o: ReloadOutcome): void {
    const { log, configPath } = this.#deps;
    if (o.ok) {
      const c = o.changed;
      log.info('reload', {
        config: configPath,
        services_added: c.services.added,
        services_removed: c.services.removed,
        services_changed: c.services.changed,
        reals_added: c.reals.added,
        reals_removed: c.reals.removed,
        reals_changed: c.reals.changed,
        timeouts: c.timeouts,
        health: c.health,
      });
    } else {
      log.warn('reload-rejected', {
        config: configPath,
        code: o.code,
        errors: o.errors.length,
        first: o.errors[0],
      });
    }
  }
}

function healthOf(plan: FarmPlan): Pick<FarmTable, 'health'> {
  return plan.health === undefined ? {} : { health: plan.health };
}

function refused(
  status: 409 | 422,
  code: ErrorCode,
  message: string,
  errors: readonly string[],
): ReloadOutcome {
  return { ok: false, status, code, message, errors };
}

function count(n: number): string {
  return n === 1 ? '1 error' : `${n} errors`;
}
