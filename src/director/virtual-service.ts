import { formatEndpoint } from '../model/endpoint.ts';
import { WebfarmError } from '../model/errors.ts';
import { createScheduler } from '../scheduler/registry.ts';
import type { Flow, SchedDest, Scheduler, SchedulerFlag, SchedulerName } from '../scheduler/scheduler.ts';
import { Connection } from './connection.ts';
import { maskAddress } from './netmask.ts';
import { PersistenceTable, type Template } from './persistence.ts';
import { type EstimatorState, initialEstimate } from './rate-estimator.ts';
import { RealServer, type RealServerSpec } from './real-server.ts';
import { Stats } from './stats.ts';

export type Protocol = 'tcp' | 'udp';
export type ProxyProtocol = 'off' | 'v1' | 'v2';

export interface PersistenceSpec {
  /** ipvsadm -p seconds, in ms (default 300 s). */
  readonly timeoutMs: number;
  /** ipvsadm -M as a prefix length (32/128 = one client address). */
  readonly prefix: number;
}

/** What happens when the chosen real server refuses or does not answer the connect (proxy engine). */
export interface ConnectPolicy {
  readonly timeoutMs: number;
  /** Further attempts after the first failure (HAProxy `retries`). */
  readonly retries: number;
  /** Retry on a different real server, ignoring persistence (HAProxy `option redispatch`). */
  readonly redispatch: boolean;
}

/**
 * Passive health (outlier ejection) for the proxy engine, docs/passive-health.md. Absent = off.
 * Times in ms. Validate with `passiveSpecProblems` (src/health/passive/outlier.ts).
 */
export interface PassiveHealthSpec {
  /** Consecutive failures (refused/timed-out connects, resets before any answer) that eject; ≥ 1. */
  readonly consecutiveFailures: number;
  /** Ejection time = base × times ejected (Envoy base_ejection_time). */
  readonly baseEjectionMs: number;
  /** Upper bound of one ejection (Envoy max_ejection_time); ≥ base. */
  readonly maxEjectionMs: number;
  /** Never eject when ejected/total of the service would go above this, 0..100. */
  readonly maxEjectionPercent: number;
}

export interface ServiceSpec {
  readonly name?: string;
  readonly protocol: Protocol;
  readonly address: string;
  /** 0 = every port (only with persistence). */
  readonly port: number;
  readonly scheduler: SchedulerName;
  readonly flags: readonly SchedulerFlag[];
  readonly persistence?: PersistenceSpec;
  /** Keep templates of a quiescent (weight 0) server? LVS expire_quiescent_template, default false. */
  readonly expireQuiescentTemplate: boolean;
  /** UDP: schedule every datagram independently (ipvsadm -o). */
  readonly onePacket: boolean;
  readonly proxyProtocol: ProxyProtocol;
  readonly connect: ConnectPolicy;
  /** Outlier ejection by the proxy engine; absent = off. */
  readonly passive?: PassiveHealthSpec;
}

export const SERVICE_DEFAULTS = {
  scheduler: 'wlc',
  persistenceTimeoutMs: 300_000,
  connect: { timeoutMs: 5000, retries: 2, redispatch: true },
} as const;

export type Schedule = { ok: true; dest: RealServer; template: Template | undefined } | { ok: false };

/**
 * A service spec with ipvsadm's defaults for everything but where it listens and how it schedules: no flags,
 * no persistence, templates kept for quiescent servers, not one-packet, no PROXY protocol, the default
 * connect policy. `over` sets anything else.
 */
export function serviceSpec(
  protocol: Protocol,
  address: string,
  port: number,
  scheduler: ServiceSpec['scheduler'],
  over: Partial<ServiceSpec> = {},
): ServiceSpec {
  return {
    protocol,
    address,
    port,
    scheduler,
    flags: [],
    expireQuiescentTemplate: false,
    onePacket: false,
    proxyProtocol: 'off',
    connect: SERVICE_DEFAULTS.connect,
    ...over,
  };
}

export function serviceId(protocol: Protocol, address: string, port: number): string {
  return `${protocol}:${formatEndpoint(address, port)}`;
}

/**
 * A virtual service: its real servers in scheduling order (newest first, as the kernel's list), its
 * scheduler, persistence templates, live connections and totals.
 */
export class VirtualService {
  readonly id: string;
  spec: ServiceSpec;
  readonly dests: RealServer[] = [];
  readonly connections = new Set<Connection>();
  readonly stats = new Stats();
  estimate: EstimatorState;
  /** New connections refused because no real server was usable (or every attempt failed). */
  refused = 0;
  #scheduler: Scheduler;
  #templates: PersistenceTable | undefined;

  constructor(spec: ServiceSpec) {
    this.id = serviceId(spec.protocol, spec.address, spec.port);
    this.spec = spec;
    this.#scheduler = createScheduler(spec.scheduler, spec.flags);
    this.#templates = spec.persistence ? new PersistenceTable(spec.persistence.timeoutMs) : undefined;
    this.estimate = initialEstimate(this.stats.toJSON());
    this.#scheduler.update(this.dests);
  }

  get templates(): PersistenceTable | undefined {
    return this.#templates;
  }

  /** Replace scheduler/persistence settings (ipvsadm -E). Builds the new scheduler before committing. */
  reconfigure(spec: ServiceSpec): void {
    const sched = createScheduler(spec.scheduler, spec.flags);
    sched.update(this.dests);
    this.#scheduler = sched;
    if (!spec.persistence) this.#dropTemplates();
    else if (this.#templates?.timeoutMs !== spec.persistence.timeoutMs) {
      this.#dropTemplates();
      this.#templates = new PersistenceTable(spec.persistence.timeoutMs);
    }
    this.spec = spec;
  }

  findReal(id: string): RealServer | undefined {
    return this.dests.find((d) => d.id === id);
  }

  addReal(spec: RealServerSpec): RealServer {
    const r = new RealServer(spec);
    if (this.findReal(r.id)) {
      throw new WebfarmError('WF_ERR_DIRECTOR_DUPLICATE_REAL', `real server ${r.id} already in ${this.id}`);
    }
    this.dests.unshift(r);
    this.changed();
    return r;
  }

  /** Remove from scheduling. Its live connections keep running to the end; its templates go now. */
  removeReal(id: string): RealServer {
    const r = this.findReal(id);
    if (!r) throw new WebfarmError('WF_ERR_DIRECTOR_NO_REAL', `no real server ${id} in ${this.id}`);
    this.dests.splice(this.dests.indexOf(r), 1);
    this.#templates?.dropDest(r);
    this.changed();
    return r;
  }

  /** Call after any weight, health, admin or list change so the scheduler rebuilds its state. */
  changed(): void {
    this.#scheduler.update(this.dests);
    if (this.spec.expireQuiescentTemplate && this.#templates) {
      for (const d of this.dests) if (d.weight === 0) this.#templates.dropDest(d);
    }
  }

  /**
   * Choose the real server for a new connection from `flow`: a live template's server while it is usable,
   * else the scheduler. `exclude` holds servers that already failed this connection (redispatch).
   */
  schedule(flow: Flow, exclude?: ReadonlySet<RealServer>): Schedule {
    const tpl = this.#templates;
    if (!tpl) {
      const dest = this.#pick(flow, exclude);
      return dest ? { ok: true, dest, template: undefined } : { ok: false };
    }
    const key = this.#templateKey(flow);
    const t = tpl.lookup(key, flow.nowMs);
    if (t && this.#honours(t, exclude)) {
      tpl.touch(t, flow.nowMs);
      return { ok: true, dest: t.dest, template: t };
    }
    if (t) tpl.delete(t);
    const dest = this.#pick(flow, exclude);
    if (!dest) return { ok: false };
    return { ok: true, dest, template: tpl.create(key, dest, flow.nowMs) };
  }

  /** Bind a new connection to `dest` (kernel ip_vs_bind_dest): counted inactive, totals, thresholds. */
  open(s: Extract<Schedule, { ok: true }>, flow: Flow): Connection {
    const c = new Connection(this, s.dest, flow.clientAddress, flow.clientPort, s.template, flow.nowMs);
    s.dest.inactConns++;
    s.dest.stats.conns++;
    this.stats.conns++;
    s.dest.updateOverload();
    if (s.template) s.template.controlled++;
    this.connections.add(c);
    return c;
  }

  /** Called by Connection.close. */
  release(c: Connection, nowMs: number): void {
    this.connections.delete(c);
    const t = c.template;
    if (t) {
      t.controlled--;
      if (t.controlled === 0) this.#templates?.touch(t, nowMs);
    }
  }

  /** Drop expired templates; called periodically by the director. */
  sweep(nowMs: number): void {
    this.#templates?.sweep(nowMs);
  }

  #honours(t: Template, exclude: ReadonlySet<RealServer> | undefined): boolean {
    const d = t.dest;
    if (!this.dests.includes(d) || !d.available || exclude?.has(d)) return false;
    return !(this.spec.expireQuiescentTemplate && d.weight === 0);
  }

  #pick(flow: Flow, exclude: ReadonlySet<RealServer> | undefined): RealServer | undefined {
    if (!exclude || exclude.size === 0)
      return this.#scheduler.pick(this.dests, flow) as RealServer | undefined;
    const view: SchedDest[] = this.dests.map((d) => (exclude.has(d) ? unavailable(d) : d));
    const chosen = this.#scheduler.pick(view, flow);
    return chosen ? this.findReal(chosen.id) : undefined;
  }

  /** Template key: (protocol, masked client, VIP, vport — 0 for a port-0 service). */
  #templateKey(flow: Flow): string {
    const prefix = this.spec.persistence?.prefix ?? 32;
    return `${flow.protocol}|${maskAddress(flow.clientAddress, prefix)}|${flow.virtualAddress}|${this.spec.port}`;
  }

  #dropTemplates(): void {
    const t = this.#templates;
    if (t) for (const tmpl of [...t.entries()]) t.delete(tmpl);
    this.#templates = undefined;
  }
}

function unavailable(d: RealServer): SchedDest {
  return {
    id: d.id,
    address: d.address,
    port: d.port,
    weight: d.weight,
    available: false,
    overloaded: d.overloaded,
    activeConns: d.activeConns,
    inactConns: d.inactConns,
  };
}
