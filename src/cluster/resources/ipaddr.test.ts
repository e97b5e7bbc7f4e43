import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWebfarmError } from '../../model/errors.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { IpAddrResource, type IpAddrSpec, ipAddrName } from './ipaddr.ts';
import { FakeIp } from './testing/fake-ip.ts';
import { FakeRunner } from './testing/fake-runner.ts';

function setup(spec: IpAddrSpec, devices: Record<string, string[]> = { eth0: ['192.0.2.1/24'] }) {
  const ip = new FakeIp(devices);
  const runner = new FakeRunner(ip.handler);
  const clock = new FakeClock();
  const res = new IpAddrResource(spec, { clock, runner });
  return { ip, runner, clock, res };
}

const arpings = (r: FakeRunner) => r.lines().filter((l) => l.startsWith('arping'));
const changes = (r: FakeRunner) => r.lines().filter((l) => /^ip addr (add|del)/.test(l));

test('start finds device and prefix from the routes, adds with brd +, then 5 ARPs 200 ms apart', async () => {
  const { ip, runner, clock, res } = setup({ address: '192.0.2.240' });
  assert.equal(await res.status(), 'stopped');
  assert.deepEqual(await res.start(), { ok: true });
  assert.equal(ip.has('192.0.2.240'), 'eth0');
  assert.deepEqual(changes(runner), ['ip addr add 192.0.2.240/24 dev eth0 brd +']);
  assert.deepEqual(arpings(runner), ['arping -U -c 1 -I eth0 192.0.2.240'], 'first frame at once');
  clock.advance(199);
  assert.equal(arpings(runner).length, 1);
  clock.advance(1);
  assert.equal(arpings(runner).length, 2);
  clock.advance(10_000);
  assert.equal(arpings(runner).length, 5, 'count frames, no more');
  await res.arp.settled();
  assert.equal(await res.status(), 'running');
});

test('start and stop are idempotent: no second add, no ARP, no del of an absent address', async () => {
  const { ip, runner, clock, res } = setup({ address: '192.0.2.240' });
  await res.start();
  clock.advance(5000);
  assert.deepEqual(await res.start(), { ok: true });
  assert.deepEqual(changes(runner), ['ip addr add 192.0.2.240/24 dev eth0 brd +']);
  assert.equal(arpings(runner).length, 5, 'already running: no new ARP train');
  assert.deepEqual(await res.stop(), { ok: true });
  assert.deepEqual(await res.stop(), { ok: true });
  assert.equal(ip.has('192.0.2.240'), undefined);
  assert.deepEqual(changes(runner), [
    'ip addr add 192.0.2.240/24 dev eth0 brd +',
    'ip addr del 192.0.2.240/24 dev eth0',
  ]);
  assert.equal(await res.status(), 'stopped');
});

test('stop cancels a running ARP train and removes the address with the prefix it has', async () => {
  const { runner, clock, res } = setup(
    { address: '192.0.2.240' },
    { eth0: ['192.0.2.1/24', '192.0.2.240/32'] },
  );
  assert.equal(await res.status(), 'running');
  res.announce(); // no placement yet and no device in the spec: nothing to announce on
  assert.equal(arpings(runner).length, 0);
  await res.stop();
  assert.deepEqual(changes(runner), ['ip addr del 192.0.2.240/32 dev eth0']);
  await res.start();
  clock.advance(200);
  await res.stop();
  clock.advance(10_000);
  assert.equal(arpings(runner).length, 2, 'frames after stop are not sent');
});

test('given device and prefix are used as is; status looks on that device only', async () => {
  const { runner, res } = setup(
    { address: '192.0.2.240', prefix: 25, device: 'eth1', arp: { count: 2, intervalMs: 50 } },
    { eth0: ['192.0.2.1/24'], eth1: [] },
  );
  await res.start();
  assert.deepEqual(changes(runner), ['ip addr add 192.0.2.240/25 dev eth1 brd +']);
  assert.ok(runner.lines().includes('ip -j -4 addr show dev eth1'));
  assert.ok(!runner.lines().some((l) => l.includes('route')), 'no route lookup needed');
  assert.equal(res.name, 'IPaddr::192.0.2.240/25/eth1');
});

test('announce re-sends a full train on the device the address went to', async () => {
  const { runner, clock, res } = setup({ address: '192.0.2.240', arp: { count: 3, intervalMs: 100 } });
  await res.start();
  clock.advance(1000);
  res.announce();
  clock.advance(1000);
  assert.equal(arpings(runner).length, 6);
  assert.ok(arpings(runner).every((l) => l === 'arping -U -c 1 -I eth0 192.0.2.240'));
});

test('failures are values with the reason', async () => {
  const cases: [string, IpAddrSpec, Record<string, string[]>, RegExp][] = [
    [
      'no subnet',
      { address: '198.51.100.9' },
      { eth0: ['192.0.2.1/24'] },
      /no connected subnet.*198\.51\.100\.9/,
    ],
    ['missing device', { address: '192.0.2.240', device: 'eth7' }, { eth0: ['192.0.2.1/24'] }, /eth7/],
  ];
  for (const [what, spec, devices, reason] of cases) {
    const { res, ip } = setup(spec, devices);
    const r = await res.start();
    assert.equal(r.ok, false, what);
    if (!r.ok) assert.match(r.reason, reason, what);
    assert.equal(ip.has(spec.address), undefined, what);
  }
});

test('invalid specs are rejected at construction with WF_ERR_CLUSTER_RESOURCE', () => {
  const bad: IpAddrSpec[] = [
    { address: '192.0.2.300' },
    { address: 'fe80::1' },
    { address: '192.0.2.240', prefix: 0 },
    { address: '192.0.2.240', prefix: 33 },
    { address: '192.0.2.240', device: '-j' },
    { address: '192.0.2.240', device: 'eth0:1' },
    { address: '192.0.2.240', arp: { count: -1, intervalMs: 100 } },
    { address: '192.0.2.240', arp: { count: 3, intervalMs: Number.NaN } },
  ];
  for (const spec of bad) {
    assert.throws(
      () => setup(spec),
      (e: unknown) => isWebfarmError(e) && e.code === 'WF_ERR_CLUSTER_RESOURCE',
      JSON.stringify(spec),
    );
  }
  assert.equal(ipAddrName({ address: '192.0.2.240' }), 'IPaddr::192.0.2.240');
});
