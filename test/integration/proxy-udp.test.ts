import assert from 'node:assert/strict';
import { test } from 'node:test';
import { realAt, startProxyFarm } from '../support/farm.ts';
import { until } from '../support/net.ts';
import { type UdpPeer, udpClient, udpEchoServer, udpNameServer } from '../support/udp.ts';

async function nameServers(names: readonly string[]): Promise<UdpPeer[]> {
  return Promise.all(names.map((n) => udpNameServer(n)));
}

test('proxy udp: round trip, counted per datagram, the flow stays inactive', async () => {
  const echo = await udpEchoServer();
  const farm = await startProxyFarm({ reals: [realAt(echo.port)], service: { protocol: 'udp' } });
  const client = await udpClient();
  try {
    assert.equal(await client.ask('one', farm.port), 'one');
    assert.equal(await client.ask('three', farm.port), 'three');
    const d = farm.svc.dests[0]!;
    assert.equal(farm.svc.connections.size, 1);
    assert.equal(d.inactConns, 1);
    assert.equal(d.activeConns, 0);
    assert.deepEqual(
      { conns: d.stats.conns, inPkts: d.stats.inPkts, outPkts: d.stats.outPkts, inBytes: d.stats.inBytes },
      { conns: 1, inPkts: 2, outPkts: 2, inBytes: 8 },
    );
  } finally {
    await client.close();
    await farm.stop();
    await echo.close();
  }
  assert.equal(farm.svc.connections.size, 0, 'stop() closes the flows');
  assert.equal(farm.svc.dests[0]!.inactConns, 0);
});

test('proxy udp over IPv6: client, service and real server on ::1, counted per datagram', async () => {
  const echo = await udpEchoServer('::1');
  const farm = await startProxyFarm({
    reals: [realAt(echo.port, { address: '::1' })],
    service: { protocol: 'udp', address: '::1' },
  });
  const client = await udpClient('::1');
  try {
    assert.equal(await client.ask('six', farm.port), 'six');
    const d = farm.svc.dests[0]!;
    assert.deepEqual({ inPkts: d.stats.inPkts, outPkts: d.stats.outPkts }, { inPkts: 1, outPkts: 1 });
    const [conn] = farm.svc.connections;
    assert.equal(conn?.clientAddress, '::1');
  } finally {
    await client.close();
    await farm.stop();
    await echo.close();
  }
});

test('proxy udp: a flow sticks to its real server; another client is scheduled on its own', async () => {
  const servers = await nameServers(['a', 'b', 'c']);
  const farm = await startProxyFarm({
    reals: servers.map((s) => realAt(s.port)),
    service: { protocol: 'udp' },
  });
  const c1 = await udpClient();
  const c2 = await udpClient();
  try {
    const first = await c1.ask('x', farm.port);
    for (let i = 0; i < 4; i++) assert.equal(await c1.ask('x', farm.port), first, 'same flow, same server');
    const other = await c2.ask('y', farm.port);
    assert.notEqual(other, first, 'rr gives the second flow the next server');
    assert.equal(await c2.ask('y', farm.port), other);
    assert.equal(farm.svc.stats.conns, 2);
    assert.equal(farm.svc.stats.inPkts, 7);
  } finally {
    await Promise.all([c1.close(), c2.close()]);
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('proxy udp: an idle flow closes after the udp timeout; the next datagram is scheduled afresh', async () => {
  const servers = await nameServers(['a', 'b']);
  const farm = await startProxyFarm({
    reals: servers.map((s) => realAt(s.port)),
    service: { protocol: 'udp' },
    timeouts: { udpMs: 300 },
    engine: { sweepIntervalMs: 50 },
  });
  const client = await udpClient();
  try {
    const first = await client.ask('x', farm.port);
    assert.equal(farm.svc.connections.size, 1);
    await until(() => farm.svc.connections.size === 0, 'the idle flow to expire');
    for (const d of farm.svc.dests) assert.equal(d.inactConns, 0);
    const second = await client.ask('x', farm.port);
    assert.notEqual(second, first, 'a new flow, scheduled by rr onto the other server');
    assert.equal(farm.svc.stats.conns, 2);
  } finally {
    await client.close();
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('proxy udp: one-packet scheduling spreads every datagram, replies still relayed', async () => {
  const servers = await nameServers(['a', 'b', 'c']);
  const farm = await startProxyFarm({
    reals: servers.map((s) => realAt(s.port)),
    service: { protocol: 'udp', onePacket: true },
  });
  const client = await udpClient();
  try {
    const seen = new Map<string, number>();
    for (let i = 0; i < 6; i++) {
      const name = await client.ask(`q${i}`, farm.port);
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries([...seen].sort()), { a: 2, b: 2, c: 2 });
    assert.equal(farm.svc.stats.conns, 6);
    await until(() => farm.svc.connections.size === 0, 'one-packet flows to end at their reply');
  } finally {
    await client.close();
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('proxy udp: no usable real server — datagram dropped, refused +1', async () => {
  const [a] = await nameServers(['a']);
  const farm = await startProxyFarm({
    reals: [realAt(a!.port, { weight: 0 })],
    service: { protocol: 'udp' },
  });
  const client = await udpClient();
  try {
    client.send('hello?', farm.port);
    client.send('anyone?', farm.port);
    await until(() => farm.svc.refused === 2, 'both datagrams refused');
    assert.equal(farm.svc.connections.size, 0);
    assert.equal(a!.received.length, 0);
  } finally {
    await client.close();
    await farm.stop();
    await a!.close();
  }
});
