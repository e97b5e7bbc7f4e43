import { WebfarmError } from '../model/errors.ts';
import type { Clock, Timer } from '../platform/clock.ts';
import type { DirectorEvent, DirectorListener } from './director-event.ts';
import { ESTIMATOR_INTERVAL_MS, estimateStep } from './rate-estimator.ts';
import type { AdminState, DownAction, Health, RealServer, RealServerSpec } from './real-server.ts';
import { DEFAULT_TIMEOUTS, type Timeouts } from './timeouts.ts';
import { type ServiceSpec, VirtualService, serviceId } from './virtual-service.ts';

/** Changes to a real server's settings (ipvsadm -e) or state (health checks, admin API). */
export interface RealServerPatch {
  weight?: number;
  upperThreshold?: number;
  lowerThreshold?: number;
  forward?: RealServerSpec['forward'];
  health?: Health;
  /** Display text for the health state; `null` clears it. */
  healthReason?: string | null;
  downAction?: DownAction;
  admin?: AdminState;
}

/**
 * The director: the table of virtual services and their real servers (the LVS model, seed-system §4.1).
 * It owns no sockets; engines subscribe to its events and call `schedule`/`open` on its services.
 */
export class Director {
  readonly services = new Map<string, VirtualService>();
  timeouts: Timeouts;
  readonly clock: Clock;
  readonly #listeners = new Set<DirectorListener>();
  #ticker: Timer | undefined;

  constructor(clock: Clock, timeouts: Timeouts = DEFAULT_TIMEOUTS) {
    this.clock = clock;
    this.timeouts = timeouts;
  }

  /** Start the 2 s estimator and template sweeper. */
  start(): void {
    let last = this.clock.now();
    this.#ticker ??= this.clock.setInterval(() => {
      const now = this.clock.now();
      this.#tick(now, now - last);
      last = now;
    }, ESTIMATOR_INTERVAL_MS);
  }

  stop(): void {
    this.#ticker?.cancel();
    this.#ticker = undefined;
  }

  on(listener: DirectorListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  getService(id: string): VirtualService {
    const s = this.services.get(id);
    if (!s) throw new WebfarmError('WF_ERR_DIRECTOR_NO_SERVICE', `no virtual service ${id}`);
    return s;
  }

  addService(spec: ServiceSpec, reals: readonly RealServerSpec[] = []): VirtualService {
    const id = serviceId(spec.protocol, spec.address, spec.port);
    if (this.services.has(id)) {
      throw new WebfarmError('WF_ERR_DIRECTOR_DUPLICATE_SERVICE', `virtual service ${id} already exists`);
    }
    validateService(spec);
    const svc = new VirtualService(spec);
    // Config order = list order as ipvsadm -a would build it: each new real goes to the head.
    for (const r of reals) svc.addReal(validateReal(r));
    this.services.set(id, svc);
    this.#emit({ type: 'service-added', service: svc });
    return svc;
  }

  editService(id: string, spec: ServiceSpec): VirtualService {
    const svc = this.getService(id);
    if (serviceId(spec.protocol, spec.address, spec.port) !== id) {
      throw new WebfarmError('WF_ERR_DIRECTOR_INVALID', 'editing a service cannot change its address');
    }
    validateService(spec);
    svc.reconfigure(spec);
    this.#emit({ type: 'service-changed', service: svc });
    return svc;
  }

  removeService(id: string): VirtualService {
    const svc = this.getService(id);
    this.services.delete(id);
    this.#emit({ type: 'service-removed', service: svc });
    return svc;
  }

  addReal(serviceIdText: string, spec: RealServerSpec): RealServer {
    const svc = this.getService(serviceIdText);
    const r = svc.addReal(validateReal(spec));
    this.#emit({ type: 'real-added', service: svc, real: r });
    return r;
  }

  editReal(serviceIdText: string, realId: string, patch: RealServerPatch): RealServer {
    const svc = this.getService(serviceIdText);
    const r = svc.findReal(realId);
    if (!r) throw new WebfarmError('WF_ERR_DIRECTOR_NO_REAL', `no real server ${realId} in ${svc.id}`);
    validateReal({ ...specOf(r), ...definedOnly(patch) });
    applyPatch(r, patch);
    svc.changed();
    this.#emit({ type: 'real-changed', service: svc, real: r });
    return r;
  }

  removeReal(serviceIdText: string, realId: string): RealServer {
    const svc = this.getService(serviceIdText);
    const r = svc.removeReal(realId);
    this.#emit({ type: 'real-removed', service: svc, real: r });
    return r;
  }

  /** ipvsadm -Z: zero totals of one service (and its reals) or of all. */
  zero(serviceIdText?: string): void {
    const list = serviceIdText ? [this.getService(serviceIdText)] : [...this.services.values()];
    for (const s of list) {
      s.stats.zero();
      for (const d of s.dests) d.stats.zero();
    }
  }

  #tick(now: number, elapsedMs: number): void {
    for (const s of this.services.values()) {
      s.estimate = estimateStep(s.estimate, s.stats.toJSON(), elapsedMs);
      for (const d of s.dests) d.estimate = estimateStep(d.estimate, d.stats.toJSON(), elapsedMs);
      s.sweep(now);
    }
  }

  #emit(e: DirectorEvent): void {
    for (const l of this.#listeners) l(e);
  }
}

function specOf(r: RealServer): RealServerSpec {
  return {
    address: r.address,
    port: r.port,
    weight: r.configuredWeight,
    upperThreshold: r.upperThreshold,
    lowerThreshold: r.lowerThreshold,
    forward: r.forward,
  };
}

function definedOnly(p: RealServerPatch): Partial<RealServerSpec> {
  const out: { -readonly [K in keyof RealServerSpec]?: RealServerSpec[K] } = {};
  if (p.weight !== undefined) out.weight = p.weight;
  if (p.upperThreshold !== undefined) out.upperThreshold = p.upperThreshold;
  if (p.lowerThreshold !== undefined) out.lowerThreshold = p.lowerThreshold;
  if (p.forward !== undefined) out.forward = p.forward;
  return out;
}

function applyPatch(r: RealServer, p: RealServerPatch): void {
  if (p.weight !== undefined) r.configuredWeight = p.weight;
  if (p.upperThreshold !== undefined) r.upperThreshold = p.upperThreshold;
  if (p.lowerThreshold !== undefined) r.lowerThreshold = p.lowerThreshold;
  if (p.forward !== undefined) r.forward = p.forward;
  if (p.health !== undefined) r.health = p.health;
  if (p.healthReason !== undefined) r.healthReason = p.healthReason ?? undefined;
  if (p.downAction !== undefined) r.downAction = p.downAction;
  if (p.admin !== undefined) r.admin = p.admin;
  r.updateOverload();
}

/** Invariants the model enforces whatever the front end (config, ipvsadm, API). */
function validateService(spec: ServiceSpec): void {
  const bad = (m: string) => new WebfarmError('WF_ERR_DIRECTOR_INVALID', m);
  if (!Number.isInteger(spec.port) || spec.port < 0 || spec.port > 65535)
    throw bad(`port ${spec.port} out of range`);
  if (spec.port === 0 && !spec.persistence) throw bad('port 0 is only allowed on a persistent service');
  if (spec.onePacket && spec.protocol !== 'udp')
    throw bad('one-packet scheduling applies to UDP services only');
}

function validateReal(spec: RealServerSpec): RealServerSpec {
  const bad = (m: string) => new WebfarmError('WF_ERR_DIRECTOR_INVALID', m);
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(spec.weight, 0, 65535)) throw bad(`weight ${spec.weight} out of range 0..65535`);
  if (!int(spec.port, 1, 65535)) throw bad(`real server port ${spec.port} out of range 1..65535`);
  if (!int(spec.upperThreshold, 0, 2 ** 31 - 1)) throw bad(`upper threshold ${spec.upperThreshold} invalid`);
  if (!int(spec.lowerThreshold, 0, 2 ** 31 - 1)) throw bad(`lower threshold ${spec.lowerThreshold} invalid`);
  if (spec.upperThreshold && spec.lowerThreshold > spec.upperThreshold) {
    throw bad(`lower threshold ${spec.lowerThreshold} is above upper threshold ${spec.upperThreshold}`);
  }
  return spec;
}
