import { formatEndpoint } from '../model/endpoint.ts';
import type { SchedDest } from '../scheduler/scheduler.ts';
import { type EstimatorState, initialEstimate } from './rate-estimator.ts';
import { Stats } from './stats.ts';
import { type ThresholdState, overloadAfter } from './threshold.ts';

/** Result of health checking. `unknown` (never checked) counts as available, like a server with no check. */
export type Health = 'up' | 'down' | 'unknown';
/** Operator intent, separate from health: drain = no new connections (weight 0); maintenance = unavailable. */
export type AdminState = 'enabled' | 'drain' | 'maintenance';
/** ipvsadm forwarding methods: -m masq, -g route (direct routing), -i tunnel. `local` is set, never chosen. */
export type ForwardMethod = 'masq' | 'route' | 'tunnel' | 'local';
/** Passive health (src/health/passive): `ejected` = no new connections until the back-off ends. */
export type PassiveState = 'ok' | 'ejected';

export const MAX_WEIGHT = 65535;

export interface RealServerSpec {
  readonly address: string;
  readonly port: number;
  /** 0..65535, default 1. 0 = quiescent. */
  readonly weight: number;
  /** -x: OVERLOAD when active+inactive ≥ this; 0 = unset. */
  readonly upperThreshold: number;
  /** -y: OVERLOAD clears below this; 0 = unset (then 3/4 of upper). */
  readonly lowerThreshold: number;
  readonly forward: ForwardMethod;
}

export const REAL_DEFAULTS = { weight: 1, upperThreshold: 0, lowerThreshold: 0, forward: 'masq' } as const;

/**
 * A real server inside one virtual service (LVS destination). Holds its configuration, its health and
 * admin state (separate fields), the connection gauges the schedulers read, and its traffic totals.
 */
export class RealServer implements SchedDest {
  readonly id: string;
  readonly address: string;
  readonly port: number;
  configuredWeight: number;
  upperThreshold: number;
  lowerThreshold: number;
  forward: ForwardMethod;
  health: Health = 'unknown';
  admin: AdminState = 'enabled';
  overloaded = false;
  activeConns = 0;
  inactConns = 0;
  /** Persistence templates that point here (ipvsadm --persistent-conn). */
  persistConns = 0;
  /** Connect attempts to this server that were refused or timed out (proxy engine; not zeroed by -Z). */
  connectFailures = 0;
  /** Resets (ECONNRESET/EPIPE) from this server on an established proxy connection (not zeroed by -Z). */
  resets = 0;
  /** Set by the proxy engine's outlier detector; separate from `health` and `admin`. */
  passive: PassiveState = 'ok';
  readonly stats = new Stats();
  estimate: EstimatorState;

  constructor(spec: RealServerSpec) {
    this.address = spec.address;
    this.port = spec.port;
    this.id = formatEndpoint(spec.address, spec.port);
    this.configuredWeight = spec.weight;
    this.upperThreshold = spec.upperThreshold;
    this.lowerThreshold = spec.lowerThreshold;
    this.forward = spec.forward;
    this.estimate = initialEstimate(this.stats.toJSON());
  }

  /** Kernel IP_VS_DEST_F_AVAILABLE: not known to be down, not in maintenance, not passively ejected. */
  get available(): boolean {
    return this.health !== 'down' && this.admin !== 'maintenance' && this.passive !== 'ejected';
  }

  /** The weight schedulers see: the configured weight, or 0 while draining. */
  get weight(): number {
    return this.admin === 'drain' ? 0 : this.configuredWeight;
  }

  /** May receive new connections from the scheduler (thresholds aside). */
  get usable(): boolean {
    return this.available && this.weight > 0;
  }

  get totalConns(): number {
    return this.activeConns + this.inactConns;
  }

  /** Re-evaluate OVERLOAD after the connection total changed (seed-system §4.3 thresholds). */
  updateOverload(): void {
    const s: ThresholdState = {
      overloaded: this.overloaded,
      upper: this.upperThreshold,
      lower: this.lowerThreshold,
      total: this.totalConns,
    };
    this.overloaded = overloadAfter(s);
  }
}
