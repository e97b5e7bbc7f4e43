import type { ClusterPlan } from '../config/cluster-plan.ts';
import type { HealthPlan } from '../health/health-plan.ts';
import { WebfarmError } from '../model/errors.ts';
import type { Clock } from '../platform/clock.ts';
import { Director } from './director.ts';
import type { RealServerSpec } from './real-server.ts';
import type { Timeouts } from './timeouts.ts';
import type { ServiceSpec } from './virtual-service.ts';

/** Everything needed to build a running director, whatever it came from (native config, demo, import). */
export interface FarmPlan {
  /** How bytes move: `proxy` (userspace) or `nft` (kernel NAT / direct routing, docs/nft-engine.md). */
  readonly engine: 'proxy' | 'nft';
  /** The nft engine's settings; present when engine is nft. */
  readonly nft?: NftPlan;
  readonly timeouts: Timeouts;
  /** `stateFile`: the runtime state file (docs/operations.md); false = none; absent = beside the socket. */
  readonly admin: {
    readonly socket?: string;
    readonly stateFile?: string | false;
    /** TCP listener for the API and dashboard; always with a token file. */
    readonly listen?: { readonly listen: string; readonly tokenFile: string };
  };
  readonly services: ReadonlyArray<{ readonly spec: ServiceSpec; readonly reals: readonly RealServerSpec[] }>;
  /** What to health-check and what transitions do; absent = nothing is checked. */
  readonly health?: HealthPlan;
  /** Heartbeat with other directors (config/cluster-plan.ts); absent = a single director. */
  readonly cluster?: ClusterPlan;
}

/** Settings of the nft engine (NftEngineOptions without the runtime parts). */
export interface NftPlan {
  /** Direct routing device; absent = the device holding the VIP, else the route to the first real server. */
  readonly device?: string;
  readonly table: string;
  readonly numgen: 'inc' | 'random';
  readonly mhTableSize: number;
  /** Counter polling period, ms; 0 = only on demand. */
  readonly statsIntervalMs: number;
  /** NAT services that masquerade: true = all, else their service ids ("tcp:192.0.2.240:80"). */
  readonly masquerade: true | readonly string[];
}

/**
 * Build a director from a plan, all or nothing: any invalid service or real server throws a WebfarmError
 * naming it and no director is returned.
 */
export function buildDirector(plan: FarmPlan, clock: Clock): Director {
  const d = new Director(clock, plan.timeouts);
  for (const { spec, reals } of plan.services) {
    try {
      d.addService(spec, reals);
    } catch (e) {
      if (e instanceof WebfarmError)
        throw new WebfarmError(e.code, `service ${spec.name ?? ''} ${e.message}`.trim());
      throw e;
    }
  }
  return d;
}
