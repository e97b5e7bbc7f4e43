import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import {
  DNS_QUERIES,
  DNS_RECORD_TYPES,
  type DnsRecordType,
  dnsFailure,
  isDnsRecordType,
} from './dns-query.ts';
import { errorReason, finisher } from './probe-finish.ts';
import { receivePattern, receiveProblems, required } from './settings-rules.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * `dns` (ldirectord service=dns): ask the real server itself (its address and check port, UDP, node's
 * c-ares resolver, no recursion through the system resolver) for `request` of `recordType`. Up iff the
 * answer has at least one record and, when `receive` is set, one record's text matches it (texts as in
 * dns-query.ts). As ldirectord: an address as `request` is a reverse (PTR) lookup, a name an A lookup,
 * unless `recordType` says otherwise.
 */

/** c-ares per-try timeout (ms) and tries: a lost datagram is retried; the check timeout still rules. */
export const DNS_TRY_MS = 1000;
export const DNS_TRIES = 3;

/** A host name: dot-separated labels of letters, digits, `-` and `_`, at most 63 each, 253 in all. */
const NAME =
  /^(?=.{1,253}\.?$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

export const dnsProbe: ProbeFactory = {
  type: 'dns',
  summary: 'DNS query of `request` (recordType, default A; PTR for an address) at the real server',
  validate(settings: ProbeSettings): string[] {
    const problems = unusedSettings('dns', settings, ['request', 'receive', 'recordType']);
    problems.push(...required('dns', settings, 'request', 'the name to look up'));
    const { request, recordType } = settings;
    if (request && isIP(request) === 0 && !NAME.test(request)) {
      problems.push(`request: ${JSON.stringify(request)} is not a valid DNS name or IP address`);
    }
    if (recordType !== undefined && !isDnsRecordType(recordType.toUpperCase())) {
      problems.push(
        `record_type: must be one of ${DNS_RECORD_TYPES.join(', ')}, not ${JSON.stringify(recordType)}`,
      );
    } else if (
      request &&
      isIP(request) !== 0 &&
      recordType !== undefined &&
      recordType.toUpperCase() !== 'PTR'
    ) {
      problems.push(`record_type: an address as request is a reverse lookup (PTR), not ${recordType}`);
    }
    problems.push(...receiveProblems(settings));
    return problems;
  },
  create: (): Probe => ({ type: 'dns', run: query }),
};

/** What is asked: the record type, and the name (an address becomes its in-addr.arpa / ip6.arpa name). */
export function dnsQuestion(settings: ProbeSettings): { type: DnsRecordType; name: string } {
  const request = settings.request ?? '';
  const address = isIP(request) !== 0;
  const type = (settings.recordType?.toUpperCase() ?? (address ? 'PTR' : 'A')) as DnsRecordType;
  return { type, name: address ? reverseName(request) : request };
}

/** The reverse-lookup name of an IPv4 or IPv6 address (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(address: string): string {
  if (isIP(address) === 4) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${expandIPv6(address).split('').reverse().join('.')}.ip6.arpa`;
}

/** 32 hex digits of an IPv6 address (no colons), `::` and embedded IPv4 expanded. */
function expandIPv6(address: string): string {
  let a = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, v4.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head = '', tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join('');
}

function serverSpec(target: ProbeTarget): string {
  return isIP(target.address) === 6
    ? `[${target.address}]:${target.port}`
    : `${target.address}:${target.port}`;
}

function query(target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal): Promise<ProbeResult> {
  const resolver = new Resolver({ timeout: DNS_TRY_MS, tries: DNS_TRIES });
  const f = finisher(signal, () => resolver.cancel());
  if (f.done) return f.result;
  resolver.setServers([serverSpec(target)]);
  const { type, name } = dnsQuestion(settings);
  const receive = receivePattern(settings);
  DNS_QUERIES[type](resolver, name).then(
    (answers) => {
      const shown = answers.slice(0, 4).join(', ');
      if (answers.length === 0) f.fail(`no ${type} record for ${name}`);
      else if (receive === undefined || answers.some((a) => receive.test(a))) {
        f.finish({ ok: true, detail: `${type} ${name}: ${shown}` });
      } else f.fail(`no ${type} answer for ${name} matched ${receive}; got ${shown}`);
    },
    (e: NodeJS.ErrnoException) => f.fail(dnsFailure(e.code, name, type) ?? errorReason(e)),
  );
  return f.result;
}
