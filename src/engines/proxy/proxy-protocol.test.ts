import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normalizeAddress } from '../../model/endpoint.ts';
import {
  type ProxiedConnection,
  ipv6Bytes,
  proxyHeader,
  proxyHeaderV1,
  proxyHeaderV2,
} from './proxy-protocol.ts';

const tcp = (sa: string, sp: number, da: string, dp: number): ProxiedConnection => ({
  protocol: 'tcp',
  sourceAddress: sa,
  sourcePort: sp,
  destAddress: da,
  destPort: dp,
});

const SIG = '0d0a0d0a000d0a515549540a';

test('PROXY v1: golden lines (doc/proxy-protocol.txt §2.1)', () => {
  const cases: [string, ProxiedConnection, string][] = [
    [
      'spec example',
      tcp('192.168.0.1', 56324, '192.168.0.11', 443),
      'PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n',
    ],
    [
      'longest IPv4 line is 56 bytes',
      tcp('255.255.255.255', 65535, '255.255.255.255', 65535),
      'PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n',
    ],
    [
      'IPv6, canonical text',
      tcp('2001:DB8:0:0::1', 1234, '::1', 80),
      'PROXY TCP6 2001:db8::1 ::1 1234 80\r\n',
    ],
    [
      'dual-stack mapped → TCP4',
      tcp('::ffff:127.0.0.1', 40000, '::ffff:127.0.0.2', 8080),
      'PROXY TCP4 127.0.0.1 127.0.0.2 40000 8080\r\n',
    ],
    [
      'mixed families → TCP6 with a mapped source',
      tcp('192.0.2.1', 5, '::1', 6),
      'PROXY TCP6 ::ffff:c000:201 ::1 5 6\r\n',
    ],
    [
      'UDP is UNKNOWN in v1',
      { ...tcp('192.0.2.1', 5, '192.0.2.2', 53), protocol: 'udp' },
      'PROXY UNKNOWN\r\n',
    ],
  ];
  for (const [name, c, want] of cases) {
    assert.equal(proxyHeaderV1(c).toString('latin1'), want, name);
    assert.deepEqual(proxyHeader('v1', c), proxyHeaderV1(c), name);
  }
  assert.equal(proxyHeaderV1(tcp('255.255.255.255', 65535, '255.255.255.255', 65535)).length, 56);
});

test('PROXY v2: golden bytes (doc/proxy-protocol.txt §2.2)', () => {
  const cases: [string, ProxiedConnection, string][] = [
    [
      'TCP4 as captured from haproxy: 172.19.0.1:42578 → 172.19.0.3:80',
      tcp('172.19.0.1', 42578, '172.19.0.3', 80),
      `${SIG}2111000c` + 'ac130001ac130003a6520050',
    ],
    [
      'TCP4 spec example addresses',
      tcp('192.168.0.1', 56324, '192.168.0.11', 443),
      `${SIG}2111000c` + 'c0a80001c0a8000bdc0401bb',
    ],
    [
      'UDP4: family/protocol byte 0x12',
      { ...tcp('10.0.0.1', 53, '10.0.0.2', 5353), protocol: 'udp' },
      `${SIG}2112000c` + '0a0000010a000002003514e9',
    ],
    [
      'TCP6: 36 address bytes',
      tcp('2001:db8::1', 1, '::1', 443),
      `${SIG}21210024` + '20010db8000000000000000000000001' + '00000000000000000000000000000001' + '000101bb',
    ],
    [
      'UDP6',
      { ...tcp('fe80::1:2', 65535, 'ff02::fb', 5353), protocol: 'udp' },
      `${SIG}21220024` + 'fe800000000000000000000000010002' + 'ff0200000000000000000000000000fb' + 'ffff14e9',
    ],
    [
      'mapped both → TCP4',
      tcp('::ffff:127.0.0.1', 256, '::ffff:127.0.0.1', 257),
      `${SIG}2111000c` + '7f0000017f00000101000101',
    ],
    [
      'mixed → TCP6, IPv4 side mapped',
      tcp('127.0.0.1', 1, '::1', 2),
      `${SIG}21210024` + '00000000000000000000ffff7f000001' + '00000000000000000000000000000001' + '00010002',
    ],
  ];
  for (const [name, c, want] of cases) {
    assert.equal(proxyHeaderV2(c).toString('hex'), want, name);
    assert.deepEqual(proxyHeader('v2', c), proxyHeaderV2(c), name);
    const h = proxyHeaderV2(c);
    assert.equal(h.length, 16 + h.readUInt16BE(14), `${name}: length field covers the address block`);
  }
});

test('ipv6Bytes: embedded IPv4 tail and zone ids', () => {
  assert.equal(ipv6Bytes('::ffff:1.2.3.4').toString('hex'), '00000000000000000000ffff01020304');
  assert.equal(ipv6Bytes('fe80::1%eth0').toString('hex'), 'fe800000000000000000000000000001');
  assert.equal(ipv6Bytes('::').toString('hex'), '0'.repeat(32));
  assert.throws(() => ipv6Bytes('1.2.3.4'), TypeError);
});

test('ipv6Bytes: inverse of the canonical text of any 16 bytes (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (arr) => {
      const b = Buffer.from(arr);
      const words = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16));
      const text = normalizeAddress(words.join(':'));
      assert.deepEqual(ipv6Bytes(text), b);
    }),
  );
});
