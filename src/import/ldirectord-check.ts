import type { ProbeSettings, ProbeType } from '../health/probe.ts';
import { probeFactory } from '../health/probe-registry.ts';

/**
 * ldirectord's checktype/service and their settings (seed-system.md §3.3, §3.5) → a native `check:`
 * mapping (docs/config.md "Health checks") and the notes for what has no equivalent. Timing keys are
 * copied only when the file sets them: the output turns on `health.ldirectord_defaults`, so unset ones
 * keep ldirectord's values. Pure.
 */
export interface CheckMapping {
  /** Native check keys in output order. */
  readonly check: Record<string, unknown>;
  readonly notes: readonly string[];
}

/** A directive's value (quotes removed) for this virtual: its own, else the global one, else undefined. */
export type Lookup = (directive: string) => string | undefined;

/** ldirectord's default service by virtual port (later ldirectord). */
const SERVICE_BY_PORT: ReadonlyMap<number, string> = new Map([
  [21, 'ftp'],
  [25, 'smtp'],
  [53, 'dns'],
  [80, 'http'],
  [110, 'pop'],
  [119, 'nntp'],
  [143, 'imap'],
  [389, 'ldap'],
  [443, 'https'],
  [587, 'submission'],
  [636, 'ldaps'],
  [993, 'imaps'],
  [995, 'pops'],
  [1521, 'oracle'],
  [1812, 'radius'],
  [3128, 'http_proxy'],
  [3306, 'mysql'],
  [5060, 'sip'],
  [5432, 'pgsql'],
]);

/** ldirectord service → our probe, for the services we have a probe for. */
const PROBE_FOR_SERVICE: ReadonlyMap<string, ProbeType> = new Map([
  ['http', 'http'],
  ['https', 'https'],
  ['ftp', 'ftp'],
  ['smtp', 'smtp'],
  ['submission', 'smtp'],
  ['pop', 'pop'],
  ['imap', 'imap'],
  ['ldap', 'ldap'],
  ['dns', 'dns'],
  ['mysql', 'mysql'],
  ['pgsql', 'pgsql'],
  ['simpletcp', 'tcp'],
  ['none', 'none'],
]);

/** ldirectord directive → native check key, for the settings a probe reads. */
const SETTING_KEYS: ReadonlyArray<readonly [string, keyof ProbeSettings, string]> = [
  ['request', 'request', 'request'],
  ['receive', 'receive', 'receive'],
  ['httpmethod', 'method', 'method'],
  ['virtualhost', 'virtualhost', 'virtualhost'],
  ['login', 'login', 'login'],
  ['passwd', 'password', 'password'],
  ['database', 'database', 'database'],
  ['checkcommand', 'command', 'command'],
];

export function mapCheck(get: Lookup, protocol: 'tcp' | 'udp', port: number, family: 4 | 6): CheckMapping {
  const notes: string[] = [];
  const type = checkType(get, protocol, port, notes);
  const check: Record<string, unknown> = { type };
  const timing: ReadonlyArray<readonly [string, string]> = [
    ['checkinterval', 'interval'],
    ['checktimeout', 'timeout'],
    ['negotiatetimeout', 'negotiate_timeout'],
  ];
  for (const [directive, key] of timing) {
    const v = get(directive);
    if (v !== undefined) check[key] = `${Number(v)}s`;
  }
  const failures = get('failurecount');
  if (failures !== undefined) check.failure_count = Number(failures);
  const checkport = get('checkport');
  if (checkport !== undefined) check.port = Number(checkport);
  const settings = checkSettings(get, type, notes);
  for (const problem of probeFactory(type)?.validate(settings, { protocol, family }) ?? []) {
    const m = /^([a-z_]+): \w+ checks do not use it$/.exec(problem);
    const entry = SETTING_KEYS.find(([, , key]) => key === m?.[1]);
    if (!m || !entry) continue;
    delete (settings as Record<string, unknown>)[entry[1]];
    notes.push(`${entry[0]}=${JSON.stringify(get(entry[0]))}: the ${type} check does not use it; dropped`);
  }
  for (const [, field, key] of SETTING_KEYS) {
    if (settings[field] !== undefined) check[key] = settings[field];
  }
  return { check, notes };
}

function checkType(get: Lookup, protocol: 'tcp' | 'udp', port: number, notes: string[]): ProbeType {
  const checktype = get('checktype') ?? 'negotiate';
  const connectLike = (what: string): ProbeType => {
    if (protocol === 'tcp') return 'connect';
    if (get('request') !== undefined) {
      notes.push(`checktype=${what} on a UDP service: a udp send/expect check with the request is used`);
      return 'udp';
    }
    notes.push(
      `checktype=${what} on a UDP service: ldirectord pings it; webfarm has no ICMP check, so the servers count as up (set check.type udp with a request to check them)`,
    );
    return 'on';
  };
  switch (checktype) {
    case 'negotiate':
      return negotiateType(get, protocol, port, notes);
    case 'connect':
      return connectLike('connect');
    case 'ping':
      notes.push('checktype=ping: no ICMP check in webfarm; a connect check is used instead');
      return connectLike('ping');
    case 'off':
    case 'on':
      return checktype;
    case 'external':
      return 'external';
    case 'external-perl':
      notes.push(
        'checktype=external-perl: the checkcommand is run as a program (not inside a Perl interpreter)',
      );
      return 'external';
    default:
      if (/^\d+$/.test(checktype)) {
        notes.push(
          `checktype=${checktype} (connect checks with a negotiate check every ${checktype}th time): webfarm runs the negotiate check every time`,
        );
        return negotiateType(get, protocol, port, notes);
      }
      notes.push(`checktype=${checktype}: not an ldirectord check type; a negotiate check is used`);
      return negotiateType(get, protocol, port, notes);
  }
}

function negotiateType(get: Lookup, protocol: 'tcp' | 'udp', port: number, notes: string[]): ProbeType {
  const service = get('service') ?? SERVICE_BY_PORT.get(port);
  if (service === undefined) {
    notes.push(
      `no service for port ${port}: ldirectord's negotiate check has nothing to negotiate; a connect check is used`,
    );
    return protocol === 'tcp' ? 'connect' : 'on';
  }
  const probe = PROBE_FOR_SERVICE.get(service);
  if (probe !== undefined) return probe;
  notes.push(`service=${service}: no ${service} check in webfarm; a connect check is used instead`);
  return protocol === 'tcp' ? 'connect' : 'on';
}

function checkSettings(get: Lookup, type: ProbeType, notes: string[]): ProbeSettings {
  const out: { -readonly [K in keyof ProbeSettings]?: ProbeSettings[K] } = {};
  let request = get('request');
  if (request !== undefined && (type === 'http' || type === 'https')) {
    if (/^https?:\/\//i.test(request)) {
      notes.push(
        `request="${request}": a full URL is not supported (host and port come from the real server); its path is used`,
      );
      request = new URL(request).pathname + new URL(request).search;
    } else if (!request.startsWith('/')) {
      request = `/${request}`;
    }
  }
  if (request !== undefined && request !== '') out.request = request;
  const receive = get('receive');
  if (receive !== undefined && receive !== '') out.receive = receive;
  const method = get('httpmethod')?.toUpperCase();
  if (method === 'GET' || method === 'HEAD') out.method = method;
  else if (method !== undefined) notes.push(`httpmethod=${method}: only GET and HEAD exist; GET is used`);
  const simple: ReadonlyArray<readonly [string, 'virtualhost' | 'login' | 'password' | 'database']> = [
    ['virtualhost', 'virtualhost'],
    ['login', 'login'],
    ['passwd', 'password'],
    ['database', 'database'],
  ];
  for (const [directive, field] of simple) {
    const v = get(directive);
    if (v !== undefined) out[field] = v;
  }
  if (type === 'external') out.command = get('checkcommand') ?? '/bin/true';
  else if (get('checkcommand') !== undefined) {
    notes.push(`checkcommand=${JSON.stringify(get('checkcommand'))}: only used by external checks; dropped`);
  }
  if (get('secret') !== undefined) notes.push('secret: RADIUS only; webfarm has no radius check');
  return out;
}
