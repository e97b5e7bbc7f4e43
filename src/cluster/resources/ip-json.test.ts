import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findAddress, findPlacement, parseAddresses } from './ip-json.ts';
import { inSubnet, isValidDeviceName } from './ipv4.ts';

const ROUTES = JSON.stringify([
  { dst: 'default', gateway: '192.0.2.254', dev: 'eth0' },
  { dst: '192.0.2.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '192.0.2.1' },
  { dst: '192.0.2.128/25', dev: 'eth1', protocol: 'kernel', scope: 'link', prefsrc: '192.0.2.129' },
  { dst: '198.51.100.0/24', gateway: '192.0.2.254', dev: 'eth0' },
  { dst: '203.0.113.7', dev: 'eth2', scope: 'link' },
  { dst: '10.0.0.0/8', dev: 'eth2', scope: 'link' },
]);

test('findPlacement: the connected subnet containing the address, longest prefix, no gateway routes', () => {
  const cases: [string, string | undefined, { device: string; prefix: number } | undefined][] = [
    ['192.0.2.240', undefined, { device: 'eth1', prefix: 25 }],
    ['192.0.2.10', undefined, { device: 'eth0', prefix: 24 }],
    ['192.0.2.240', 'eth0', { device: 'eth0', prefix: 24 }],
    ['198.51.100.5', undefined, undefined], // only via a gateway
    ['203.0.113.7', undefined, undefined], // host route, not a subnet
    ['10.1.2.3', undefined, { device: 'eth2', prefix: 8 }],
    ['8.8.8.8', undefined, undefined], // default route never matches
    ['192.0.2.240', 'eth9', undefined],
  ];
  for (const [address, device, want] of cases) {
    assert.deepEqual(findPlacement(ROUTES, address, device), want, `${address} ${device}`);
  }
});

test('findPlacement and parseAddresses tolerate garbage', () => {
  for (const junk of ['', 'not json', '{}', '[1,null,"x",{"dst":5}]']) {
    assert.equal(findPlacement(junk, '192.0.2.1'), undefined);
    assert.deepEqual(parseAddresses(junk), []);
  }
});

test('parseAddresses / findAddress read `ip -j -4 addr show`', () => {
  const json = JSON.stringify([
    { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
    {
      ifname: 'eth0',
      addr_info: [
        { family: 'inet', local: '192.0.2.1', prefixlen: 24 },
        { family: 'inet6', local: 'fe80::1', prefixlen: 64 },
        { family: 'inet', local: '192.0.2.240', prefixlen: 24 },
      ],
    },
  ]);
  const all = parseAddresses(json);
  assert.equal(all.length, 3);
  assert.deepEqual(findAddress(all, '192.0.2.240'), { device: 'eth0', address: '192.0.2.240', prefix: 24 });
  assert.equal(findAddress(all, '192.0.2.240', 'lo'), undefined);
  assert.equal(findAddress(all, '192.0.2.241'), undefined);
});

test('inSubnet and device names', () => {
  const subnets: [string, string, number, boolean][] = [
    ['192.0.2.240', '192.0.2.0', 24, true],
    ['192.0.2.240', '192.0.2.0', 25, false],
    ['192.0.3.1', '192.0.2.0', 23, true],
    ['1.2.3.4', '0.0.0.0', 0, true],
    ['1.2.3.4', '1.2.3.4', 32, true],
    ['1.2.3.4', '1.2.3.4', 33, false],
    ['x', '1.2.3.4', 24, false],
  ];
  for (const [a, n, p, want] of subnets) assert.equal(inSubnet(a, n, p), want, `${a} in ${n}/${p}`);
  const names: [string, boolean][] = [
    ['eth0', true],
    ['br-lan.10', true],
    ['veth_a-1', true],
    ['abcdefghijklmno', true],
    ['abcdefghijklmnop', false],
    ['', false],
    ['-eth0', false],
    ['.', false],
    ['eth0:0', false],
    ['eth 0', false],
    ['a/b', false],
  ];
  for (const [n, want] of names) assert.equal(isValidDeviceName(n), want, n);
});
