import type { CheckSpec } from './check-spec.ts';
import type { ProbeTarget } from './probe.ts';

/** One (virtual service, real server) pair that uses a check. */
export interface CheckUser {
  readonly serviceId: string;
  readonly realId: string;
}

/** A request for a check from one user, before deduplication. */
export interface CheckRequest {
  readonly user: CheckUser;
  readonly target: ProbeTarget;
  readonly spec: CheckSpec;
}

/** One check as the monitor runs it, and every (service, real) its damped result fans out to. */
export interface CheckInstance {
  readonly key: string;
  readonly target: ProbeTarget;
  readonly spec: CheckSpec;
  readonly users: readonly CheckUser[];
}

/**
 * The identity of a check (seed-system §3.5: each distinct check runs once per round): protocol, address,
 * port, probe type and settings, interval, timeout, fall and rise. The virtual address joins the key only
 * for `external`, whose command receives it as an argument; other probes never look at it. Settings are
 * serialised with sorted keys so their order in the config does not matter. Pure.
 */
export function checkKey(target: ProbeTarget, spec: CheckSpec): string {
  const parts = [
    target.protocol,
    target.address,
    String(target.port),
    spec.type,
    `i${spec.intervalMs}`,
    `t${spec.timeoutMs}`,
    `f${spec.fall}`,
    `r${spec.rise}`,
    canonicalJson(spec.settings),
  ];
  if (spec.type === 'external') parts.push(`v=${target.virtualAddress}:${target.virtualPort}`);
  return parts.join('|');
}

/** Group requests by key, in order of first appearance; each user listed once. Pure. */
export function dedupeChecks(requests: readonly CheckRequest[]): CheckInstance[] {
  const byKey = new Map<string, { target: ProbeTarget; spec: CheckSpec; users: CheckUser[] }>();
  for (const r of requests) {
    const key = checkKey(r.target, r.spec);
    const entry = byKey.get(key) ?? { target: r.target, spec: r.spec, users: [] };
    byKey.set(key, entry);
    const dup = entry.users.some((u) => u.serviceId === r.user.serviceId && u.realId === r.user.realId);
    if (!dup) entry.users.push(r.user);
  }
  return [...byKey].map(([key, e]) => ({ key, ...e }));
}

function canonicalJson(o: object): string {
  const entries = Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
