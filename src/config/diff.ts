import type { RealServerSpec } from '../director/real-server.ts';
import type { Timeouts } from '../director/timeouts.ts';
import { type ServiceSpec, serviceId } from '../director/virtual-service.ts';
import type { HealthPlan } from '../health/health-plan.ts';
import { formatEndpoint } from '../model/endpoint.ts';

/**
 * Reload as a difference (issue #6 item 3, docs/operations.md): the running table and a newly loaded plan
 * → the operations that turn one into the other. Pure. Services are keyed by (protocol, address, port)
 * — `serviceId` — and real servers by (address, port) within their service; anything else about them is
 * a setting that an `edit-*` changes in place, so the real server keeps its health, admin state, counters
 * and connections. A service whose key changed is a remove plus an add. Real servers the health
 * subsystem inserted (fallback) are not part of the table.
 */

/** The part of a FarmPlan a diff compares. */
export interface FarmTable {
  readonly timeouts: Timeouts;
  readonly services: ReadonlyArray<{ readonly spec: ServiceSpec; readonly reals: readonly RealServerSpec[] }>;
  readonly health?: HealthPlan;
}

export type PlanOp =
  | {
      readonly op: 'add-service';
      readonly serviceId: string;
      readonly spec: ServiceSpec;
      readonly reals: readonly RealServerSpec[];
    }
  | { readonly op: 'timeouts'; readonly timeouts: Timeouts }
  | { readonly op: 'edit-service'; readonly serviceId: string; readonly spec: ServiceSpec }
  | {
      readonly op: 'add-real';
      readonly serviceId: string;
      readonly realId: string;
      readonly spec: RealServerSpec;
    }
  | {
      readonly op: 'edit-real';
      readonly serviceId: string;
      readonly realId: string;
      readonly spec: RealServerSpec;
    }
  | { readonly op: 'remove-real'; readonly serviceId: string; readonly realId: string }
  | { readonly op: 'remove-service'; readonly serviceId: string }
  | { readonly op: 'health'; readonly plan: HealthPlan | undefined };

/**
 * The order operations are listed (and applied) in: new services first — binding their listeners is the
 * only step that can fail, and undoing an add loses nothing — then changes in place, then removals, and
 * the health plan last (it needs the director's final table).
 */
export const OP_ORDER: readonly PlanOp['op'][] = [
  'add-service',
  'timeouts',
  'edit-service',
  'add-real',
  'edit-real',
  'remove-real',
  'remove-service',
  'health',
];

export function diffPlans(running: FarmTable, next: FarmTable): PlanOp[] {
  const ops: PlanOp[] = [];
  if (!same(running.timeouts, next.timeouts)) ops.push({ op: 'timeouts', timeouts: next.timeouts });
  const before = new Map(running.services.map((s) => [idOf(s.spec), s]));
  const after = new Map(next.services.map((s) => [idOf(s.spec), s]));
  for (const [id, s] of after) {
    const old = before.get(id);
    if (!old) {
      ops.push({ op: 'add-service', serviceId: id, spec: s.spec, reals: s.reals });
      continue;
    }
    if (!same(old.spec, s.spec)) ops.push({ op: 'edit-service', serviceId: id, spec: s.spec });
    ops.push(...diffReals(id, old.reals, s.reals));
  }
  for (const id of before.keys()) if (!after.has(id)) ops.push({ op: 'remove-service', serviceId: id });
  if (!same(running.health ?? null, next.health ?? null)) ops.push({ op: 'health', plan: next.health });
  return ops.sort((a, b) => OP_ORDER.indexOf(a.op) - OP_ORDER.indexOf(b.op));
}

function diffReals(
  sid: string,
  before: readonly RealServerSpec[],
  after: readonly RealServerSpec[],
): PlanOp[] {
  const ops: PlanOp[] = [];
  const old = new Map(before.filter((r) => !r.fallback).map((r) => [realIdOf(r), r]));
  const now = new Map(after.filter((r) => !r.fallback).map((r) => [realIdOf(r), r]));
  for (const [rid, r] of now) {
    const o = old.get(rid);
    if (!o) ops.push({ op: 'add-real', serviceId: sid, realId: rid, spec: r });
    else if (!same(settings(o), settings(r)))
      ops.push({ op: 'edit-real', serviceId: sid, realId: rid, spec: r });
  }
  for (const rid of old.keys())
    if (!now.has(rid)) ops.push({ op: 'remove-real', serviceId: sid, realId: rid });
  return ops;
}

/** What a reload changed, counted for the reply, the CLI and the log line. */
export interface DiffSummary {
  readonly services: { readonly added: number; readonly removed: number; readonly changed: number };
  /** Real servers of services that stay; those of added or removed services count with their service. */
  readonly reals: { readonly added: number; readonly removed: number; readonly changed: number };
  readonly timeouts: boolean;
  readonly health: boolean;
}

export function summarize(ops: readonly PlanOp[]): DiffSummary {
  const n = (op: PlanOp['op']) => ops.filter((o) => o.op === op).length;
  return {
    services: { added: n('add-service'), removed: n('remove-service'), changed: n('edit-service') },
    reals: { added: n('add-real'), removed: n('remove-real'), changed: n('edit-real') },
    timeouts: n('timeouts') > 0,
    health: n('health') > 0,
  };
}

/** One line per operation, e.g. `add-real tcp:127.0.0.1:80 127.0.0.1:8081`. */
export function describeOp(o: PlanOp): string {
  switch (o.op) {
    case 'timeouts':
      return `timeouts tcp=${o.timeouts.tcpMs}ms tcpfin=${o.timeouts.tcpFinMs}ms udp=${o.timeouts.udpMs}ms`;
    case 'health':
      return 'health plan';
    case 'add-service':
    case 'edit-service':
    case 'remove-service':
      return `${o.op} ${o.serviceId}`;
    default:
      return `${o.op} ${o.serviceId} ${o.realId}`;
  }
}

function idOf(s: ServiceSpec): string {
  return serviceId(s.protocol, s.address, s.port);
}

export function realIdOf(r: Pick<RealServerSpec, 'address' | 'port'>): string {
  return formatEndpoint(r.address, r.port);
}

/** The settings an edit-real changes (ipvsadm -e): the key and the fallback mark are not settings. */
function settings(r: RealServerSpec): unknown {
  return [r.weight, r.upperThreshold, r.lowerThreshold, r.forward];
}

/** Structural equality: key order does not matter, `undefined` members count as absent. */
export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted at every level (a stable text for comparison and digests). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val === null || typeof val !== 'object' || Array.isArray(val)) return val;
    const o = val as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  });
}
