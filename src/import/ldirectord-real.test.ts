import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRealTarget } from './ldirectord-address.ts';
import { parseReal } from './ldirectord-real.ts';

describe('real= (seed-system.md §3.4)', () => {
  const ok: ReadonlyArray<readonly [string, unknown]> = [
    ['192.0.2.2:80 gate', { addresses: ['192.0.2.2'], port: 80, forward: 'gate' }],
    ['192.0.2.2 masq', { addresses: ['192.0.2.2'], forward: 'masq' }],
    ['192.0.2.2:http ipip 3', { addresses: ['192.0.2.2'], port: 80, forward: 'ipip', weight: 3 }],
    ['192.0.2.2:80 gate 0', { addresses: ['192.0.2.2'], port: 80, forward: 'gate', weight: 0 }],
    [
      '192.0.2.2:80 masq 2 "/check" "OK"',
      { addresses: ['192.0.2.2'], port: 80, forward: 'masq', weight: 2, request: '/check', receive: 'OK' },
    ],
    [
      '192.0.2.2:80 masq 2 "/check", "OK"',
      { addresses: ['192.0.2.2'], port: 80, forward: 'masq', weight: 2, request: '/check', receive: 'OK' },
    ],
    [
      '192.0.2.2:80 masq 1 "<l:10>" "<u:100>"',
      { addresses: ['192.0.2.2'], port: 80, forward: 'masq', weight: 1, lower: 10, upper: 100 },
    ],
    ['192.0.2.2:80 masq <u:5>', { addresses: ['192.0.2.2'], port: 80, forward: 'masq', upper: 5 }],
    [
      '192.0.2.2-192.0.2.4:80 gate',
      { addresses: ['192.0.2.2', '192.0.2.3', '192.0.2.4'], port: 80, forward: 'gate' },
    ],
    ['192.0.2.2->192.0.2.3:80 gate', { addresses: ['192.0.2.2', '192.0.2.3'], port: 80, forward: 'gate' }],
  ];
  for (const [text, want] of ok) {
    it(text, () => {
      const r = parseReal(text, 6, 4);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.deepEqual(r.value, want);
    });
  }

  it('IPv6', () => {
    const r = parseReal('[2001:DB8::2]:80 masq 4', 7, 6);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { addresses: ['2001:db8::2'], port: 80, forward: 'masq', weight: 4 });
  });

  const bad: ReadonlyArray<readonly [string, number, RegExp]> = [
    ['192.0.2.2:80', 6, /expected gate, masq or ipip, got nothing/],
    ['192.0.2.2:80 route', 19, /expected gate, masq or ipip, got "route"/],
    ['www.example.com:80 gate', 6, /not an IP address \(webfarm import does not resolve host names\)/],
    ['192.0.2.2:99999 gate', 6, /port 99999 is out of range/],
    ['192.0.2.2:80 gate 70000', 24, /weight 70000 is out of range 0..65535/],
    ['192.0.2.2:80 gate 1 /x', 26, /unexpected "\/x" \(request and receive must be quoted\)/],
    ['192.0.2.2:80 gate 1 "a" "b" "c"', 34, /more than a request and a receive/],
    ['192.0.2.2:80 gate "unterminated', 24, /unterminated quoted string/],
    ['192.0.2.9-192.0.2.2:80 gate', 6, /runs backwards/],
    ['192.0.0.0-192.0.2.0:80 gate', 6, /has 513 addresses \(at most 256\)/],
    ['2001:db8::2 gate', 6, /IPv6 address; virtual\/real\/fallback takes IPv4/],
  ];
  for (const [text, col, re] of bad) {
    it(`error: ${text}`, () => {
      const r = parseReal(text, 6, 4);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.match(r.error, re);
        assert.equal(r.col, col);
      }
    });
  }

  it('a last-octet range', () => {
    const r = parseRealTarget('10.0.0.1-3:80', 4);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], port: 80 });
  });
});
