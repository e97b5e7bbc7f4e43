import { isIP, isIPv4 } from 'node:net';
import { normalizeAddress } from '../model/endpoint.ts';

/**
 * Addresses as ldirectord.cf writes them (seed-system.md §3.3–3.4): `ip:port`, `[v6]:port` (virtual6,
 * real6, fallback6), an optional port on reals and fallbacks, port names for the usual services, and
 * real-server ranges `a.b.c.d-a.b.c.e` (also ldirectord's `->` spelling, and `a.b.c.d-e` for the last
 * octet). Host names are refused: webfarm import resolves nothing, so its output does not depend on DNS
 * at import time. Pure.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The service names ldirectord users write as ports (from /etc/services; fixed so output is stable). */
export const PORT_NAMES: ReadonlyMap<string, number> = new Map([
  ['ftp', 21],
  ['ssh', 22],
  ['smtp', 25],
  ['domain', 53],
  ['dns', 53],
  ['http', 80],
  ['www', 80],
  ['pop3', 110],
  ['nntp', 119],
  ['imap', 143],
  ['imap2', 143],
  ['ldap', 389],
  ['https', 443],
  ['submission', 587],
  ['ldaps', 636],
  ['imaps', 993],
  ['pop3s', 995],
  ['mysql', 3306],
  ['sip', 5060],
  ['postgresql', 5432],
]);

export interface HostPort {
  readonly address: string;
  /** Undefined when the text had no port. */
  readonly port: number | undefined;
}

/** `ip`, `ip:port`, `[v6]` or `[v6]:port`; `family` 6 for the *6 directives. */
export function parseHostPort(text: string, family: 4 | 6): Parsed<HostPort> {
  if (isIP(text) !== 0) {
    const a = checkAddress(text, family);
    return a.ok ? { ok: true, value: { address: a.value, port: undefined } } : a;
  }
  const m = family === 6 ? /^\[([^\]]+)\](?::([^:]+))?$/.exec(text) : /^([^:[\]]+)(?::([^:]+))?$/.exec(text);
  if (!m) {
    const want = family === 6 ? '[IPV6]:PORT' : 'ADDRESS:PORT';
    return { ok: false, error: `"${text}" is not ${want}` };
  }
  const address = checkAddress(m[1] as string, family);
  if (!address.ok) return address;
  if (m[2] === undefined) return { ok: true, value: { address: address.value, port: undefined } };
  const port = parsePort(m[2]);
  return port.ok ? { ok: true, value: { address: address.value, port: port.value } } : port;
}

export function parsePort(text: string): Parsed<number> {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? { ok: true, value: n } : { ok: false, error: `port ${n} is out of range 0..65535` };
  }
  const named = PORT_NAMES.get(text);
  if (named !== undefined) return { ok: true, value: named };
  return { ok: false, error: `unknown port name "${text}" (write the number)` };
}

function checkAddress(text: string, family: 4 | 6): Parsed<string> {
  if (isIP(text) === family) return { ok: true, value: normalizeAddress(text) };
  if (isIP(text) !== 0) {
    const d = family === 6 ? 'virtual6/real6/fallback6' : 'virtual/real/fallback';
    return { ok: false, error: `"${text}" is an IPv${isIP(text)} address; ${d} takes IPv${family}` };
  }
  return { ok: false, error: `"${text}" is not an IP address (webfarm import does not resolve host names)` };
}

/** Most addresses one range may expand to. */
export const MAX_RANGE = 256;

/**
 * `a.b.c.d-a.b.c.e:port`, `a.b.c.d->a.b.c.e:port`, `a.b.c.d-e:port` or a single address → the addresses in
 * order and the port (undefined when not written).
 */
export function parseRealTarget(text: string, family: 4 | 6): Parsed<{ addresses: string[]; port?: number }> {
  if (family === 6) {
    const hp = parseHostPort(text, 6);
    return hp.ok ? { ok: true, value: withPort([hp.value.address], hp.value.port) } : hp;
  }
  const m = /^([0-9.]+)(?:-?>|-)([0-9.]+)(?::([^:]+))?$/.exec(text);
  if (!m) {
    const hp = parseHostPort(text, 4);
    return hp.ok ? { ok: true, value: withPort([hp.value.address], hp.value.port) } : hp;
  }
  const range = expandRange(m[1] as string, m[2] as string);
  if (!range.ok) return range;
  if (m[3] === undefined) return { ok: true, value: { addresses: range.value } };
  const port = parsePort(m[3]);
  return port.ok ? { ok: true, value: { addresses: range.value, port: port.value } } : port;
}

function withPort(addresses: string[], port: number | undefined): { addresses: string[]; port?: number } {
  return port === undefined ? { addresses } : { addresses, port };
}

function expandRange(first: string, lastText: string): Parsed<string[]> {
  const last = /^\d+$/.test(lastText) ? first.replace(/\d+$/, lastText) : lastText;
  if (!isIPv4(first)) return { ok: false, error: `"${first}" is not an IPv4 address` };
  if (!isIPv4(last)) return { ok: false, error: `"${lastText}" is not an IPv4 address or last octet` };
  const a = toInt(first);
  const b = toInt(last);
  if (b < a) return { ok: false, error: `range ${first}-${last} runs backwards` };
  if (b - a + 1 > MAX_RANGE) {
    return { ok: false, error: `range ${first}-${last} has ${b - a + 1} addresses (at most ${MAX_RANGE})` };
  }
  const out: string[] = [];
  for (let n = a; n <= b; n++) out.push(fromInt(n));
  return { ok: true, value: out };
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
