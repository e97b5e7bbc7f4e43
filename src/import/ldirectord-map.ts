import type { ConfigIssue, ConfigPath } from '../config/issue.ts';
import { SCHEDULER_NAMES } from '../scheduler/scheduler.ts';
import { unknownName } from '../config/suggest.ts';
import { parseHostPort } from './ldirectord-address.ts';
import { mapCheck } from './ldirectord-check.ts';
import { LD_DIRECTIVES } from './ldirectord-directives.ts';
import { LD_NO_EQUIVALENT } from './ldirectord-ignored.ts';
import type { LdFile, LdValue, LdVirtual } from './ldirectord-model.ts';
import { type LdReal, parseReal } from './ldirectord-real.ts';
import type { Draft } from './draft.ts';
import { parseBool, unquote } from './words.ts';

/**
 * Give an ldirectord.cf its meaning in the native config (docs/import.md has the table): each virtual
 * becomes a service appended to `draft.data.services`, the global part goes to `health`, and whatever
 * has no equivalent becomes a comment. Problems that make the file meaningless here (an unknown
 * scheduler, a bad address) are returned with their FILE:LINE:COL; the rest of the rules are the native
 * validator's (import.ts runs it on the result). Pure.
 */
export function mapLdirectord(ld: LdFile, draft: Draft): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const fail = (v: LdValue, message: string, onKey = false) =>
    issues.push({ file: ld.file, ...(onKey ? v.at : v.valueAt), message });
  if (draft.data.services === undefined) draft.data.services = [];
  if (draft.data.health === undefined) draft.data.health = {};
  const services = draft.data.services as unknown[];
  const health = draft.data.health as Record<string, unknown>;
  health.ldirectord_defaults = true;
  const maint = ld.globals.get('maintenancedir');
  if (maint) {
    health.maintenance_dir = unquote(maint.value);
    draft.from(['health', 'maintenance_dir'], place(ld, maint));
  }
  for (const [name, v] of ld.globals) {
    const why = LD_NO_EQUIVALENT.get(name);
    if (why !== undefined) draft.note([], `${ld.file}:${v.at.line}: ${name}=${v.value}: ${why}`);
  }
  for (const virtual of ld.virtuals) {
    const svc = mapVirtual(ld, virtual, services.length, draft, fail);
    if (svc !== undefined) services.push(svc);
  }
  return issues;
}

/** Native check key → the ldirectord directive it came from (for placing problems). */
const CHECK_SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['interval', 'checkinterval'],
  ['timeout', 'checktimeout'],
  ['negotiate_timeout', 'negotiatetimeout'],
  ['failure_count', 'failurecount'],
  ['port', 'checkport'],
  ['request', 'request'],
  ['receive', 'receive'],
  ['method', 'httpmethod'],
  ['virtualhost', 'virtualhost'],
  ['login', 'login'],
  ['password', 'passwd'],
  ['database', 'database'],
  ['command', 'checkcommand'],
];

type Fail = (v: LdValue, message: string, onKey?: boolean) => void;

function place(ld: LdFile, v: LdValue, onKey = false) {
  return { file: ld.file, ...(onKey ? v.at : v.valueAt) };
}

function mapVirtual(
  ld: LdFile,
  vs: LdVirtual,
  index: number,
  draft: Draft,
  fail: Fail,
): Record<string, unknown> | undefined {
  const at = (...rest: Array<string | number>): ConfigPath => ['services', index, ...rest];
  const value = (name: string): LdValue | undefined =>
    vs.directives.get(name) ?? (LD_DIRECTIVES.get(name)?.scope === 'both' ? ld.globals.get(name) : undefined);
  const get = (name: string) => {
    const v = value(name);
    return v === undefined ? undefined : unquote(v.value);
  };
  const targetText = unquote(vs.target.value);
  if (!vs.v6 && /^\d+$/.test(targetText)) {
    draft.note(
      [],
      `${ld.file}:${vs.at.line}: virtual=${targetText}: firewall-mark services have no equivalent in the proxy engine; skipped`,
    );
    return undefined;
  }
  const target = parseHostPort(targetText, vs.v6 ? 6 : 4);
  if (!target.ok) return void fail(vs.target, `virtual: ${target.error}`);
  if (target.value.port === undefined) return void fail(vs.target, `virtual: "${targetText}" has no port`);
  const port = target.value.port;
  const protocol = protocolOf(value('protocol'), port, fail);
  if (protocol === undefined) return undefined;

  const svc: Record<string, unknown> = {};
  const from = (path: ConfigPath, v: LdValue | undefined) => v && draft.from(path, place(ld, v));
  draft.from(at(), place(ld, vs.target, true));
  const servicename = get('servicename');
  if (servicename !== undefined && servicename !== '') {
    svc.name = servicename;
    from(at('name'), value('servicename'));
  }
  svc.protocol = protocol;
  svc.address = target.value.address;
  svc.port = port;
  from(at('address'), vs.target);
  const scheduler = get('scheduler') ?? 'wrr';
  if (!(SCHEDULER_NAMES as readonly string[]).includes(scheduler)) {
    fail(value('scheduler') as LdValue, unknownName('scheduler', scheduler, SCHEDULER_NAMES));
  }
  svc.scheduler = scheduler;
  if (get('scheduler') === undefined) draft.trail(at('scheduler'), "ldirectord's default");
  else from(at('scheduler'), value('scheduler'));
  mapPersistence(svc, get, draft, at);
  from(at('persistence'), value('persistent'));
  const ops = get('ops');
  if (ops !== undefined && parseBool(ops)) {
    if (protocol === 'udp') svc.one_packet = true;
    else draft.note(at('protocol'), 'ops=yes: one-packet scheduling is for UDP services only; ignored');
  }
  const family = vs.v6 ? 6 : 4;
  const check = mapCheck(get, protocol, port, family);
  for (const note of check.notes) draft.note(at(), note);
  svc.check = check.check;
  from(at('check'), value('checktype') ?? value('service') ?? vs.target);
  for (const [key, directive] of CHECK_SOURCES)
    if (key in check.check) from(at('check', key), value(directive));
  const quiescent = get('quiescent');
  if (quiescent !== undefined) {
    svc.quiescent = parseBool(quiescent) === true;
    from(at('quiescent'), value('quiescent'));
  }
  mapFallback(ld, vs, svc, draft, at, value, fail);
  const fbc = get('fallbackcommand');
  if (fbc !== undefined) {
    svc.fallback_command = fbc;
    from(at('fallback_command'), value('fallbackcommand'));
  }
  for (const name of vs.directives.keys()) {
    const why = LD_NO_EQUIVALENT.get(name);
    if (why !== undefined) draft.note(at(), `${name}=${vs.directives.get(name)?.value}: ${why}`);
  }
  const comment = get('comment');
  if (comment !== undefined) draft.note(at(), comment);
  svc.real_servers = mapReals(ld, vs, port, check.check, draft, at, fail);
  return svc;
}

function protocolOf(v: LdValue | undefined, port: number, fail: Fail): 'tcp' | 'udp' | undefined {
  if (v === undefined) return port === 53 ? 'udp' : 'tcp';
  const p = unquote(v.value);
  if (p === 'tcp' || p === 'udp') return p;
  if (p === 'fwm') fail(v, 'protocol fwm needs a firewall-mark virtual (not ADDRESS:PORT)');
  else fail(v, `protocol "${p}" is not tcp or udp`);
  return undefined;
}

function mapPersistence(
  svc: Record<string, unknown>,
  get: (n: string) => string | undefined,
  draft: Draft,
  at: (...r: Array<string | number>) => ConfigPath,
): void {
  const persistent = get('persistent');
  const netmask = get('netmask');
  if (persistent !== undefined && Number(persistent) > 0) {
    svc.persistence = { timeout: `${Number(persistent)}s`, ...(netmask === undefined ? {} : { netmask }) };
  } else if (netmask !== undefined) {
    draft.note(at('scheduler'), `netmask=${netmask}: only meaningful with persistent; ignored`);
  }
}

function mapFallback(
  ld: LdFile,
  vs: LdVirtual,
  svc: Record<string, unknown>,
  draft: Draft,
  at: (...r: Array<string | number>) => ConfigPath,
  value: (n: string) => LdValue | undefined,
  fail: Fail,
): void {
  const v6 = vs.directives.get('fallback6');
  const v = v6 ?? value('fallback');
  if (v === undefined) return;
  const [addr, method] = unquote(v.value).split(/\s+/);
  const hp = parseHostPort(addr ?? '', v6 ? 6 : 4);
  if (!hp.ok) return void fail(v, `fallback: ${hp.error}`);
  svc.fallback =
    hp.value.port === undefined
      ? hp.value.address
      : `${v6 ? `[${hp.value.address}]` : hp.value.address}:${hp.value.port}`;
  draft.from(at('fallback'), place(ld, v));
  if (method !== undefined && method !== 'masq') {
    if (method !== 'gate' && method !== 'ipip')
      return void fail(v, `fallback: "${method}" is not gate, masq or ipip`);
    draft.trail(
      at('fallback'),
      draft.data.engine === 'nft'
        ? `was ${method}; the fallback is added as a masq real server (the director's own address is served locally)`
        : `was ${method}; the proxy engine masquerades`,
    );
  }
}

function mapReals(
  ld: LdFile,
  vs: LdVirtual,
  vport: number,
  check: Record<string, unknown>,
  draft: Draft,
  at: (...r: Array<string | number>) => ConfigPath,
  fail: Fail,
): unknown[] {
  const out: unknown[] = [];
  const lines: Array<[LdValue, 4 | 6]> = [
    ...vs.reals.map((r): [LdValue, 4 | 6] => [r, vs.v6 ? 6 : 4]),
    ...vs.reals6.map((r): [LdValue, 4 | 6] => [r, 6]),
  ];
  for (const [line, family] of lines) {
    const parsed = parseReal(line.value, line.valueAt.col, family);
    if (!parsed.ok) {
      fail({ ...line, valueAt: { line: line.valueAt.line, col: parsed.col } }, parsed.error);
      continue;
    }
    const r = parsed.value;
    perRealCheck(r, check, draft, at());
    for (const address of r.addresses) {
      const path = at('real_servers', out.length);
      draft.from(path, place(ld, line));
      out.push(realEntry(r, address, vport, draft, path));
    }
  }
  return out;
}

/** A per-real request/receive becomes the service's when it has none; a different one is noted. */
function perRealCheck(r: LdReal, check: Record<string, unknown>, draft: Draft, at: ConfigPath): void {
  for (const key of ['request', 'receive'] as const) {
    const own = r[key];
    if (own === undefined) continue;
    if (check[key] === undefined)
      check[key] =
        key === 'request' && !own.startsWith('/') && /^https?$/.test(String(check.type)) ? `/${own}` : own;
    else if (check[key] !== own && `/${own}` !== check[key]) {
      draft.note(
        at,
        `real ${r.addresses.join(',')}: per-real ${key} "${own}" — every real of a service is checked alike; the service's is used`,
      );
    }
  }
}

function realEntry(
  r: LdReal,
  address: string,
  vport: number,
  draft: Draft,
  path: ConfigPath,
): Record<string, unknown> {
  const e: Record<string, unknown> = { address };
  const written = r.port ?? vport;
  const routed = r.forward !== 'masq';
  e.port = routed ? vport : written;
  e.weight = r.weight ?? 1;
  if (r.upper !== undefined) e.upper_threshold = r.upper;
  if (r.lower !== undefined) e.lower_threshold = r.lower;
  e.forward = 'masq';
  if (routed && draft.data.engine === 'nft') {
    // The kernel path does what LVS did: gate is direct routing; ipip stays tunnel (the nft engine
    // refuses it, and the import reports that at the real= line).
    e.forward = r.forward === 'gate' ? 'route' : 'tunnel';
    if (written !== vport)
      draft.trail(
        [...path, 'port'],
        `written ${written}; ldirectord forces the virtual port for ${r.forward}`,
      );
  } else if (routed) {
    const what = r.forward === 'gate' ? 'gate (direct routing)' : 'ipip (tunnel)';
    draft.trail(
      [...path, 'forward'],
      `was ${what}; the proxy engine masquerades (nft engine: forward: route)`,
    );
    if (written !== vport) {
      draft.trail(
        [...path, 'port'],
        `written ${written}; ldirectord forces the virtual port for ${r.forward}`,
      );
    }
  }
  return e;
}
