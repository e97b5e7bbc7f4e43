import type { DownAction, Health } from '../director/real-server.ts';
import { formatEndpoint } from '../model/endpoint.ts';
import type { Alert } from './alert.ts';

/**
 * What health transitions do to one virtual service (seed-system §3.6). Pure: the caller applies the
 * operations (apply-ops.ts). Semantics:
 * - a real whose wanted health differs from its current health gets `set-health`; with downAction
 *   `quiesce` a down real keeps its place at weight 0, with `remove` it becomes unavailable (the model
 *   derives both from `health` + `downAction`, real-server.ts);
 * - an alert for every up↔down change (not for a real's first state: `unknown` → up/down, or a check's
 *   first verdict after start, `wanted.first`);
 * - the fallback (server and/or command) goes in when no real is up and out when the first returns,
 *   once per transition — decided only once the service is `settled` (every check has an answer), so a
 *   start does not flash the fallback in and out.
 */
export interface ServicePolicy {
  readonly serviceId: string;
  readonly protocol: 'tcp' | 'udp';
  readonly address: string;
  readonly port: number;
  readonly downAction: DownAction;
  readonly fallback?: { readonly address: string; readonly port: number };
  readonly fallbackCommand?: readonly string[];
}

export interface Wanted {
  readonly health: Health;
  readonly reason: string | undefined;
  /** The check's first verdict since start (never-checked → up/down): applied, not alerted. */
  readonly first?: boolean;
}

export interface RealView {
  readonly id: string;
  /** Health as the director has it now. */
  readonly health: Health;
  readonly wanted: Wanted;
}

export interface ServiceView {
  /** The configured real servers (fallback excluded). */
  readonly reals: readonly RealView[];
  /** The fallback is in (server inserted and/or start command run). */
  readonly fallbackActive: boolean;
  /** Every checked real has a first answer (or a recorded state); fallback decisions wait for this. */
  readonly settled: boolean;
}

export type HealthOp =
  | {
      readonly op: 'set-health';
      readonly realId: string;
      readonly health: Health;
      readonly reason: string | undefined;
    }
  | { readonly op: 'add-fallback'; readonly address: string; readonly port: number }
  | { readonly op: 'remove-fallback'; readonly realId: string }
  | { readonly op: 'fallback-active'; readonly active: boolean }
  | { readonly op: 'run'; readonly argv: readonly string[] }
  | { readonly op: 'alert'; readonly alert: Alert };

export function decide(policy: ServicePolicy, view: ServiceView): HealthOp[] {
  const ops: HealthOp[] = [];
  for (const r of view.reals) {
    if (r.health === r.wanted.health) continue;
    ops.push({ op: 'set-health', realId: r.id, health: r.wanted.health, reason: r.wanted.reason });
    if (r.health === 'unknown' || r.wanted.health === 'unknown' || r.wanted.first) continue;
    const kind = r.wanted.health === 'up' ? 'real-up' : 'real-down';
    ops.push(alert({ kind, service: policy.serviceId, real: r.id, reason: r.wanted.reason }));
  }
  if (!view.settled || (!policy.fallback && !policy.fallbackCommand)) return ops;
  const anyUp = view.reals.some((r) => r.wanted.health !== 'down');
  if (!anyUp && !view.fallbackActive) ops.push(...fallbackIn(policy));
  if (anyUp && view.fallbackActive) ops.push(...fallbackOut(policy));
  return ops;
}

/** Operations that take an active fallback out, e.g. when a reload drops it from the config. */
export function fallbackOut(policy: ServicePolicy): HealthOp[] {
  const id = policy.fallback && formatEndpoint(policy.fallback.address, policy.fallback.port);
  return [
    ...(id ? [{ op: 'remove-fallback', realId: id } as const] : []),
    ...command(policy, 'stop'),
    { op: 'fallback-active', active: false },
    alert({ kind: 'fallback-out', service: policy.serviceId, ...(id ? { real: id } : {}) }),
  ];
}

function fallbackIn(policy: ServicePolicy): HealthOp[] {
  const fb = policy.fallback;
  const id = fb && formatEndpoint(fb.address, fb.port);
  return [
    ...(fb ? [{ op: 'add-fallback', address: fb.address, port: fb.port } as const] : []),
    ...command(policy, 'start'),
    { op: 'fallback-active', active: true },
    alert({
      kind: 'fallback-in',
      service: policy.serviceId,
      ...(id ? { real: id } : {}),
      reason: 'no real server is up',
    }),
  ];
}

/** ldirectord: `fallbackcommand start|stop VIP:PORT PROTO`. */
function command(policy: ServicePolicy, verb: 'start' | 'stop'): HealthOp[] {
  if (!policy.fallbackCommand) return [];
  const vip = formatEndpoint(policy.address, policy.port);
  return [{ op: 'run', argv: [...policy.fallbackCommand, verb, vip, policy.protocol] }];
}

function alert(a: {
  kind: Alert['kind'];
  service: string;
  real?: string;
  reason?: string | undefined;
}): HealthOp {
  const { reason, ...rest } = a;
  return { op: 'alert', alert: reason === undefined ? rest : { ...rest, reason } };
}
