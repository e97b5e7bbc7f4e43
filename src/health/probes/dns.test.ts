import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeSettings } from '../probe.ts';
import { dnsFailure } from './dns-query.ts';
import { dnsProbe, dnsQuestion, reverseName } from './dns.ts';

describe('dns validate', () => {
  const cases: readonly [string, ProbeSettings, readonly (string | RegExp)[]][] = [
    ['a name', { request: 'www.example.com' }, []],
    [
      'a name with a trailing dot and a type',
      { request: 'example.com.', recordType: 'MX', receive: 'mail' },
      [],
    ],
    ['lower-case type', { request: 'example.com', recordType: 'aaaa' }, []],
    ['an address (PTR)', { request: '192.0.2.7' }, []],
    ['an IPv6 address with PTR', { request: '2001:db8::1', recordType: 'PTR' }, []],
    ['no request', {}, ['request: required by the dns check (the name to look up)']],
    ['a bad name', { request: 'bad name!' }, ['request: "bad name!" is not a valid DNS name or IP address']],
    ['a label too long', { request: `${'a'.repeat(64)}.example` }, [/^request: .* is not a valid DNS name/]],
    [
      'an unknown type',
      { request: 'example.com', recordType: 'ANY' },
      ['record_type: must be one of A, AAAA, CAA, CNAME, MX, NAPTR, NS, PTR, SOA, SRV, TXT, not "ANY"'],
    ],
    [
      'an address with a forward type',
      { request: '192.0.2.7', recordType: 'A' },
      ['record_type: an address as request is a reverse lookup (PTR), not A'],
    ],
    [
      'an invalid regex',
      { request: 'x.example', receive: '*' },
      [/^receive: invalid regular expression: \/\*\/: /],
    ],
    [
      'a field it does not read',
      { request: 'x.example', method: 'GET' },
      ['method: dns checks do not use it'],
    ],
  ];
  for (const [name, settings, want] of cases) {
    it(name, () => {
      const got = dnsProbe.validate(settings, { protocol: 'udp' });
      assert.equal(got.length, want.length, got.join('\n'));
      for (const [i, w] of want.entries()) {
        if (typeof w === 'string') assert.equal(got[i], w);
        else assert.match(got[i] ?? '', w);
      }
    });
  }
});

describe('dns question', () => {
  const cases: readonly [ProbeSettings, { type: string; name: string }][] = [
    [{ request: 'check.example' }, { type: 'A', name: 'check.example' }],
    [
      { request: 'check.example', recordType: 'txt' },
      { type: 'TXT', name: 'check.example' },
    ],
    [{ request: '192.0.2.7' }, { type: 'PTR', name: '7.2.0.192.in-addr.arpa' }],
    [
      { request: '7.2.0.192.in-addr.arpa', recordType: 'PTR' },
      { type: 'PTR', name: '7.2.0.192.in-addr.arpa' },
    ],
  ];
  for (const [settings, want] of cases) {
    it(JSON.stringify(settings), () => assert.deepEqual(dnsQuestion(settings), want));
  }

  it('reverseName (RFC 1035 §3.5, RFC 3596 §2.5)', () => {
    const table: readonly [string, string][] = [
      ['10.1.2.3', '3.2.1.10.in-addr.arpa'],
      ['::1', `1.${'0.'.repeat(31)}ip6.arpa`],
      ['2001:db8::567:89ab', 'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'],
      ['::ffff:192.0.2.1', `1.0.2.0.0.0.0.c.f.f.f.f.${'0.'.repeat(20)}ip6.arpa`],
      ['2001:DB8:0:0:1:0:0:1', '1.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'],
    ];
    for (const [address, want] of table) assert.equal(reverseName(address), want, address);
  });
});

describe('dns failures', () => {
  const table: readonly [string | undefined, string | undefined][] = [
    ['ENOTFOUND', 'ENOTFOUND: x.example does not exist (NXDOMAIN)'],
    ['ENODATA', 'ENODATA: no AAAA record for x.example'],
    ['ESERVFAIL', 'ESERVFAIL: the server failed to answer for x.example (SERVFAIL)'],
    ['EREFUSED', 'EREFUSED: the server refused the query for x.example (REFUSED)'],
    ['ETIMEOUT', 'ETIMEOUT: no reply from the server'],
    ['ECONNREFUSED', 'ECONNREFUSED: port unreachable'],
    ['EBADRESP', undefined],
    [undefined, undefined],
  ];
  for (const [code, want] of table) {
    it(String(code), () => assert.equal(dnsFailure(code, 'x.example', 'AAAA'), want));
  }
});
