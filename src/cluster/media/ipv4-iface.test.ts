import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { test } from 'node:test';
import { isWebfarmError } from '../../model/errors.ts';
import { broadcastOf, deviceIpv4, type Interfaces, localIpv4Addresses } from './ipv4-iface.ts';
import { broadcastTarget } from './udp-broadcast.ts';
import { checkMulticast } from './udp-multicast.ts';

function v4(address: string, prefix: number): NetworkInterfaceInfo {
  return {
    address,
    netmask: '',
    family: 'IPv4',
    mac: '00:00:00:00:00:00',
    internal: false,
    cidr: `${address}/${prefix}`,
  };
}
const v6: NetworkInterfaceInfo = {
  address: 'fe80::1',
  netmask: '',
  family: 'IPv6',
  mac: '00:00:00:00:00:00',
  internal: false,
  cidr: 'fe80::1/64',
  scopeid: 2,
};
const ifaces: Interfaces = {
  lo: [v4('127.0.0.1', 8)],
  eth0: [v6, v4('192.0.2.4', 24)],
  eth1: [v6],
  p2p: [v4('198.51.100.1', 31)],
};

test('ipv4: broadcast address derived from address and prefix', () => {
  const cases: [string, number, string | undefined][] = [
    ['192.0.2.4', 24, '192.0.2.255'],
    ['198.51.100.77', 26, '198.51.100.127'],
    ['10.1.2.3', 8, '10.255.255.255'],
    ['203.0.113.9', 30, '203.0.113.11'],
    ['0.0.0.1', 0, '255.255.255.255'],
    ['198.51.100.1', 31, undefined],
    ['198.51.100.1', 32, undefined],
    ['not-an-ip', 24, undefined],
  ];
  for (const [a, p, want] of cases) assert.equal(broadcastOf(a, p), want, `${a}/${p}`);
});

test('ipv4: device lookup and the bcast target, with errors naming the device', () => {
  assert.deepEqual(deviceIpv4('eth0', ifaces), { ok: true, value: { address: '192.0.2.4', prefix: 24 } });
  assert.equal(broadcastTarget('eth0', ifaces), '192.0.2.255');
  const bad: [string, RegExp][] = [
    ['eth9', /bcast eth9: network device "eth9" does not exist \(have: eth0, eth1, lo, p2p\)/],
    ['eth1', /bcast eth1: network device "eth1" has no IPv4 address/],
    ['p2p', /bcast p2p: 198\.51\.100\.1\/31 has no broadcast address/],
  ];
  for (const [dev, re] of bad) {
    assert.throws(
      () => broadcastTarget(dev, ifaces),
      (e: unknown) => isWebfarmError(e) && e.code === 'WF_ERR_CLUSTER_MEDIUM' && re.test(e.message),
      dev,
    );
  }
  assert.deepEqual([...localIpv4Addresses(ifaces)].sort(), ['127.0.0.1', '192.0.2.4', '198.51.100.1']);
});

test('mcast: group and ttl checked', () => {
  checkMulticast('225.0.0.1', 1);
  checkMulticast('239.255.0.1', 255);
  const bad: [string, number, RegExp][] = [
    ['192.0.2.1', 1, /not an IPv4 multicast group/],
    ['240.0.0.1', 1, /not an IPv4 multicast group/],
    ['225.0.0.1', 0, /ttl 0 is not within 1\.\.255/],
    ['225.0.0.1', 256, /ttl 256/],
  ];
  for (const [g, ttl, re] of bad) {
    assert.throws(
      () => checkMulticast(g, ttl),
      (e: unknown) => isWebfarmError(e) && re.test(e.message),
      g,
    );
  }
});
