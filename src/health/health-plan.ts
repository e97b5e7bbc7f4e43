import type { DownAction } from '../director/real-server.ts';
import type { CheckSpec } from './check-spec.ts';

/**
 * The health part of a FarmPlan: what to check per virtual service and what a transition does, plus the
 * global settings. Plain data (config/to-director.ts builds it; the demo and tests build it in code).
 */
export interface HealthPlan {
  readonly global: HealthGlobal;
  readonly services: readonly ServiceHealth[];
}

export interface HealthGlobal {
  /** ldirectord maintenancedir: a file named `ip:port`, `ip` or `[v6]:port` forces that real down. */
  readonly maintenanceDir?: string;
  /** Health state kept across restarts (written atomically on every transition). */
  readonly stateFile?: string;
  /** Servers never checked start up instead of down. */
  readonly startUp: boolean;
  readonly alerts: AlertsConfig;
}

export interface AlertsConfig {
  /** POST a JSON body per transition to this URL. */
  readonly webhook?: { readonly url: string; readonly timeoutMs: number };
  /** Run this argv per transition, with WEBFARM_ALERT_* environment variables. */
  readonly command?: readonly string[];
}

export interface ServiceHealth {
  /** The director's service id (`tcp:192.0.2.1:80`). */
  readonly serviceId: string;
  /** Absent (or type `off`): not checked, health stays `unknown` (available). */
  readonly check?: CheckSpec;
  /** ldirectord quiescent: yes → quiesce, no → remove. */
  readonly downAction: DownAction;
  /** Inserted with weight 1 when no real server is up (ldirectord `fallback`). */
  readonly fallback?: { readonly address: string; readonly port: number };
  /** argv run with `start VIP:PORT PROTO` / `stop VIP:PORT PROTO` (ldirectord `fallbackcommand`). */
  readonly fallbackCommand?: readonly string[];
}

export const EMPTY_HEALTH_PLAN: HealthPlan = { global: { startUp: false, alerts: {} }, services: [] };
