import type { Resolver } from 'node:dns/promises';

/**
 * The record types the dns probe can ask for, each with its query and a one-line text per answer (the
 * text `receive` is matched against; zone-file order of fields). ANY is left out (RFC 8482 servers answer
 * it with a stub).
 */
export const DNS_RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SOA',
  'SRV',
  'TXT',
] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export function isDnsRecordType(t: string): t is DnsRecordType {
  return (DNS_RECORD_TYPES as readonly string[]).includes(t);
}

type Query = (r: Resolver, name: string) => Promise<string[]>;

export const DNS_QUERIES: Readonly<Record<DnsRecordType, Query>> = {
  A: (r, n) => r.resolve4(n),
  AAAA: (r, n) => r.resolve6(n),
  CAA: async (r, n) =>
    (await r.resolveCaa(n)).map(({ critical, ...tag }) =>
      Object.entries(tag)
        .map(([k, v]) => `${critical} ${k} "${String(v)}"`)
        .join(' '),
    ),
  CNAME: (r, n) => r.resolveCname(n),
  MX: async (r, n) => (await r.resolveMx(n)).map((m) => `${m.priority} ${m.exchange}`),
  NAPTR: async (r, n) =>
    (await r.resolveNaptr(n)).map(
      (a) => `${a.order} ${a.preference} "${a.flags}" "${a.service}" "${a.regexp}" ${a.replacement}`,
    ),
  NS: (r, n) => r.resolveNs(n),
  PTR: (r, n) => r.resolvePtr(n),
  SOA: async (r, n) => {
    const s = await r.resolveSoa(n);
    return [`${s.nsname} ${s.hostmaster} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minttl}`];
  },
  SRV: async (r, n) => (await r.resolveSrv(n)).map((s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`),
  TXT: async (r, n) => (await r.resolveTxt(n)).map((chunks) => chunks.join('')),
};

/** Why a query failed, from c-ares' error code (node:dns error codes). */
export function dnsFailure(code: string | undefined, name: string, type: string): string | undefined {
  switch (code) {
    case 'ENOTFOUND':
      return `ENOTFOUND: ${name} does not exist (NXDOMAIN)`;
    case 'ENODATA':
      return `ENODATA: no ${type} record for ${name}`;
    case 'ESERVFAIL':
      return `ESERVFAIL: the server failed to answer for ${name} (SERVFAIL)`;
    case 'EREFUSED':
      return `EREFUSED: the server refused the query for ${name} (REFUSED)`;
    case 'ETIMEOUT':
      return 'ETIMEOUT: no reply from the server';
    case 'ECONNREFUSED':
      return 'ECONNREFUSED: port unreachable';
    default:
      return undefined;
  }
}
