import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeSettings, ProbeTarget } from '../probe.ts';
import { hostHeader, requestPath, sniName, statusMatches, validateHttp } from './http-common.ts';
import { httpProbe } from './http.ts';
import { httpsProbe } from './https.ts';

const target = (address: string, port: number): ProbeTarget => ({
  protocol: 'tcp',
  address,
  port,
  virtualAddress: '192.0.2.1',
  virtualPort: 80,
});

describe('http(s) validate', () => {
  const cases: readonly [string, ProbeSettings, 'tcp' | 'udp', readonly RegExp[]][] = [
    ['defaults', {}, 'tcp', []],
    [
      'everything http reads',
      { request: '/h', receive: 'ok', method: 'GET', status: 204, virtualhost: 'a.example:8080' },
      'tcp',
      [],
    ],
    ['a UDP service', {}, 'udp', [/^protocol: the http check needs a TCP service$/]],
    [
      'an invalid regex',
      { receive: 'ok(' },
      'tcp',
      [/^receive: invalid regular expression: \/ok\(\/: Unterminated group$/],
    ],
    ['an unknown method', { method: 'POST' as 'GET' }, 'tcp', [/^method: must be GET or HEAD/]],
    [
      'HEAD with receive',
      { method: 'HEAD', receive: 'ok' },
      'tcp',
      [/^receive: a HEAD response has no body/],
    ],
    ['status out of range', { status: 99 }, 'tcp', [/^status: must be an HTTP status code/]],
    ['status not an integer', { status: 200.5 }, 'tcp', [/^status: /]],
    ['a path with a space', { request: '/a b' }, 'tcp', [/^request: must be a non-empty URL path/]],
    ['an empty path', { request: '' }, 'tcp', [/^request: must be a non-empty URL path/]],
    ['a full URL', { request: 'http://x/y' }, 'tcp', [/^request: give the path only/]],
    ['a bad virtualhost', { virtualhost: 'a b' }, 'tcp', [/^virtualhost: must be a host name/]],
    ['an IPv6 virtualhost', { virtualhost: '[2001:db8::1]:8443' }, 'tcp', []],
    ['verifyTls is https only', { verifyTls: true }, 'tcp', [/^verify_tls: http checks do not use it$/]],
    [
      'fields of other probes',
      { command: '/bin/true', login: 'u' },
      'tcp',
      [/^login: http checks do not use it/, /^command: http checks do not use it/],
    ],
  ];
  for (const [name, settings, protocol, want] of cases) {
    it(name, () => {
      const got = httpProbe.validate(settings, { protocol });
      assert.equal(got.length, want.length, got.join('\n'));
      for (const [i, re] of want.entries()) assert.match(got[i] ?? '', re);
    });
  }
  it('https reads verifyTls', () => {
    assert.deepEqual(httpsProbe.validate({ verifyTls: true }, { protocol: 'tcp' }), []);
    assert.deepEqual(validateHttp('https', {}, { protocol: 'udp' }), [
      'protocol: the https check needs a TCP service',
    ]);
  });
});

describe('http(s) request parts', () => {
  it('requestPath', () => {
    for (const [input, want] of [
      [undefined, '/'],
      ['/', '/'],
      ['index.html', '/index.html'],
      ['/a/b?c=d', '/a/b?c=d'],
    ] as const) {
      assert.equal(requestPath(input), want);
    }
  });
  it('hostHeader', () => {
    const cases: readonly [Parameters<typeof hostHeader>, string][] = [
      [['http', {}, target('10.0.0.1', 80)], '10.0.0.1'],
      [['http', {}, target('10.0.0.1', 8080)], '10.0.0.1:8080'],
      [['https', {}, target('10.0.0.1', 443)], '10.0.0.1'],
      [['https', {}, target('10.0.0.1', 80)], '10.0.0.1:80'],
      [['http', {}, target('2001:db8::1', 80)], '[2001:db8::1]'],
      [['http', {}, target('2001:db8::1', 81)], '[2001:db8::1]:81'],
      [['http', { virtualhost: 'www.example.com' }, target('10.0.0.1', 8080)], 'www.example.com'],
    ];
    for (const [args, want] of cases) assert.equal(hostHeader(...args), want);
  });
  it('sniName', () => {
    const cases: readonly [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['www.example.com', 'www.example.com'],
      ['www.example.com:8443', 'www.example.com'],
      ['www.example.com.', 'www.example.com'],
      ['192.0.2.1', undefined],
      ['192.0.2.1:443', undefined],
      ['[2001:db8::1]:443', undefined],
    ];
    for (const [input, want] of cases) assert.equal(sniName(input), want, String(input));
  });
  it('statusMatches: any 2xx by default, exactly the expected code otherwise', () => {
    const cases: readonly [number, number | undefined, boolean][] = [
      [200, undefined, true],
      [204, undefined, true],
      [299, undefined, true],
      [199, undefined, false],
      [301, undefined, false],
      [500, undefined, false],
      [500, 500, true],
      [200, 500, false],
      [301, 301, true],
    ];
    for (const [code, expected, want] of cases)
      assert.equal(statusMatches(code, expected), want, `${code}/${expected}`);
  });
});
