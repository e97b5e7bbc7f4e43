import type { PathIssue } from '../config/issue.ts';
import { ipv4ToInt } from '../director/netmask.ts';
import type { Host, Scenario } from './scenario-schema.ts';

/**
 * Cross-field checks of a scenario that the schema cannot express. Pure. Traffic stays in the
 * documentation range: every address (hosts, VIP, lo addresses, client targets) must be in 192.0.2.0/24.
 */

export const LAB_NET = '192.0.2.0/24';
const NET = ipv4ToInt('192.0.2.0');

export function inLabNet(address: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(address) && (ipv4ToInt(address) & 0xffffff00) >>> 0 === NET;
}

/** Targets that name no host but resolve at run time. */
export const DYNAMIC_TARGETS = ['active', 'last'] as const;
export const OWNER_WORDS = ['same', 'other', 'none'] as const;

export function scenarioIssues(s: Scenario): PathIssue[] {
  const out: PathIssue[] = [];
  const byName = new Map<string, Host>();
  const addrs = new Set<string>();
  s.hosts.forEach((h, i) => {
    if (byName.has(h.name))
      out.push({ path: ['hosts', i, 'name'], message: `"${h.name}" is already a host` });
    byName.set(h.name, h);
    if (!inLabNet(h.address))
      out.push({ path: ['hosts', i, 'address'], message: `${h.address} is outside ${LAB_NET}` });
    else if (addrs.has(h.address))
      out.push({ path: ['hosts', i, 'address'], message: `${h.address} is used twice` });
    addrs.add(h.address);
    if (h.role === 'real')
      h.vip_on_lo.forEach((a, j) => {
        if (!inLabNet(a))
          out.push({ path: ['hosts', i, 'vip_on_lo', j], message: `${a} is outside ${LAB_NET}` });
      });
    if (h.role === 'client') {
      const host = new URL(h.target).hostname;
      if (!inLabNet(host))
        out.push({ path: ['hosts', i, 'target'], message: `${host} is outside ${LAB_NET}` });
    }
  });
  if (!inLabNet(s.vip)) out.push({ path: ['vip'], message: `${s.vip} is outside ${LAB_NET}` });
  if (addrs.has(s.vip)) out.push({ path: ['vip'], message: `${s.vip} is also a host's address` });
  const directors = s.hosts.filter((h) => h.role === 'director').map((h) => h.name);
  s.serial?.forEach((n, j) => {
    if (!directors.includes(n)) out.push({ path: ['serial', j], message: `"${n}" is not a director` });
  });
  if (s.serial && s.serial[0] === s.serial[1])
    out.push({ path: ['serial'], message: 'a cable joins two directors' });
  out.push(...timelineIssues(s, byName, directors));
  return out;
}

function timelineIssues(
  s: Scenario,
  byName: ReadonlyMap<string, Host>,
  directors: readonly string[],
): PathIssue[] {
  const out: PathIssue[] = [];
  let prevAt = 0;
  s.timeline.forEach((step, i) => {
    const at = ['timeline', i];
    if (step.at < prevAt) out.push({ path: [...at, 'at'], message: 'steps must be in time order' });
    prevAt = step.at;
    const faults = [
      { f: step.fault, path: [...at, 'fault'] },
      ...step.also.map((f, j) => ({ f, path: [...at, 'also', j] })),
    ];
    for (const { f, path } of faults) {
      if ('host' in f) {
        const problem = targetProblem(f.host, byName, ROLE_OF[f.do]);
        if (problem) out.push({ path: [...path, 'host'], message: problem });
      }
      if (f.do === 'serial' && !s.serial) out.push({ path, message: 'the scenario has no serial cable' });
    }
    const e = step.expect;
    if (
      e.owner !== undefined &&
      !directors.includes(e.owner) &&
      !(OWNER_WORDS as readonly string[]).includes(e.owner)
    )
      out.push({
        path: [...at, 'expect', 'owner'],
        message: `"${e.owner}" is not a director or one of: ${OWNER_WORDS.join(', ')}`,
      });
    if (e.no_conns_on !== undefined) {
      const problem = targetProblem(e.no_conns_on, byName, 'real');
      if (problem) out.push({ path: [...at, 'expect', 'no_conns_on'], message: problem });
    }
    if (e.reload_rejected !== undefined && step.fault.do !== 'reload')
      out.push({ path: [...at, 'expect', 'reload_rejected'], message: 'only for a reload step' });
  });
  return out;
}

/** The role a fault's `host` must have (undefined: any host). */
const ROLE_OF: Record<string, Host['role'] | undefined> = {
  signal: 'director',
  start: 'director',
  reload: 'director',
  web: 'real',
  link: undefined,
  loss: undefined,
};

function targetProblem(
  t: string,
  byName: ReadonlyMap<string, Host>,
  role: Host['role'] | undefined,
): string | undefined {
  if ((DYNAMIC_TARGETS as readonly string[]).includes(t))
    return role === 'real' && t === 'active' ? '"active" names a director' : undefined;
  const h = byName.get(t);
  if (!h) return `"${t}" is not a host (${[...byName.keys(), ...DYNAMIC_TARGETS].join(', ')})`;
  if (role !== undefined && h.role !== role) return `"${t}" is a ${h.role}, not a ${role}`;
  return undefined;
}
