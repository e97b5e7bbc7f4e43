import { formatEndpoint } from '../model/endpoint.ts';
import type { SchedDest } from '../scheduler/scheduler.ts';
import { type EstimatorState, initialEstimate } from './rate-estimator.ts';
import { Stats } from './stats.ts';
import { type ThresholdState, overloadAfter } from './threshold.ts';

/** Result of health checking. `unknown` (never checked) counts as available, like a server with no check. */
export type Health = 'up' | 'down' | 'unknown';
/** Operator intent, separate from health: drain = no new connections (weight 0); maintenance = unavailable. */
export type AdminState = 'enabled' | 'drain' | 'maintenance';
/**
 * What a health `down` does (ldirectord `quiescent`): `quiesce` = weight 0 but still available (existing
 * connections and persistence templates stay); `remove` = unavailable (out of scheduling).
 */
export type DownAction = 'quiesce' | 'remove';
/** The last health check result, for display (status, admin API). `atMs` is wall-clock epoch ms. */
export interface LastCheck {
  readonly ok: boolean;
  readonly text: string;
  readonly atMs: number;
}
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
  /** A fallback server (ldirectord `fallback=`): inserted by the health subsystem, never checked. */
  readonly fallback?: boolean;
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
  /** How `health: 'down'` takes effect; set by the health subsystem from the service's `quiescent`. */
  downAction: DownAction = 'remove';
  readonly fallback: boolean;
  /** Why health is what it is (last failure, "maintenance", ...); display only. */
  healthReason: string | undefined;
  /** Written by the health subsystem after every check, without a director event; display only. */
  lastCheck: LastCheck | undefined;
  overloaded = false;
  activeConns = 0;
  inactConns = 0;
  /** Persistence templates that point here (ipvsadm --persistent-conn). */
  persistConns = 0;
  /** Connect attempts to this server that were refused or timed out (proxy engine; not zeroed by -Z). */
  connectFailures = 0;
  /** Resets (ECONNRESET/EPIPE) from this server seen by the proxy engine, any phase (not zeroed by -Z). */
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
    this.fallback = spec.fallback === true;
    this.estimate = initialEstimate(this.stats.toJSON());
  }

  /** Kernel IP_VS_DEST_F_AVAILABLE: not removed for being down (downAction remove), not in maintenance, not passively ejected. */
  get available(): boolean {
    const removed = this.health === 'down' && this.downAction === 'remove';
    return !removed && this.admin !== 'maintenance' && this.passive !== 'ejected';
  }

  /** The weight schedulers see: the configured weight, or 0 while draining or quiesced for being down. */
  get weight(): number {
    const quiesced = this.health === 'down' && this.downAction === 'quiesce';
    return this.admin === 'drain' || quiesced ? 0 : this.configuredWeight;
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
