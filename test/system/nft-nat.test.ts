import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Director } from '../../src/director/director.ts';
import { REAL_DEFAULTS, type RealServerSpec } from '../../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../../src/director/timeouts.ts';
import { serviceSpec, type ServiceSpec } from '../../src/director/virtual-service.ts';
import { NftEngine } from '../../src/engines/nft/nft-engine.ts';
import { NftRunner } from '../../src/engines/nft/nft-runner.ts';
import { isWebfarmError } from '../../src/model/errors.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { Topology, lineFrom, netnsUnavailable, tally } from './support/netns.ts';

/**
 * NAT (-m) through the nft engine, in namespaces: client 203.0.113.10 on the front bridge, director
 * 203.0.113.1 + VIP 203.0.113.240 (front) and 198.51.100.1 (back), real servers r1..r3 198.51.100.11-13 on
 * the back bridge routing 203.0.113.0/24 via the director (no default route anywhere).
 */
const VIP = '203.0.113.240';
const skip = netnsUnavailable();

const svcSpec = (protocol: 'tcp' | 'udp', port: number): ServiceSpec =>
  serviceSpec(protocol, VIP, port, 'rr');
const real = (i: number, port: number): RealServerSpec => ({
  ...REAL_DEFAULTS,
  address: `198.51.100.${10 + i}`,
  port,
  forward: 'masq',
});

describe('nft engine, NAT', { skip }, () => {
  const topo = new Topology('n');
  let director: Director;
  let engine: NftEngine;
  const tcpId = `tcp:${VIP}:80`;
  const udpId = `udp:${VIP}:53`;

  before(async () => {
    await topo.addSwitch(['front', 'back']);
    await topo.addHost('c', [{ bridge: 'front', dev: 'eth0', addrs: ['203.0.113.10/24'] }]);
    await topo.addHost('d', [
      { bridge: 'front', dev: 'eth0', addrs: ['203.0.113.1/24', `${VIP}/24`] },
      { bridge: 'back', dev: 'eth1', addrs: ['198.51.100.1/24'] },
    ]);
    await topo.run('d', ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    for (const i of [1, 2, 3]) {
      await topo.addHost(`r${i}`, [{ bridge: 'back', dev: 'eth0', addrs: [`198.51.100.${10 + i}/24`] }]);
      await topo.run(`r${i}`, ['ip', 'route', 'add', '203.0.113.0/24', 'via', '198.51.100.1']);
      await topo.startServer(`r${i}`, `r${i}`, 8080, 5353, '0.0.0.0');
    }
    director = new Director(systemClock, DEFAULT_TIMEOUTS);
    director.addService(svcSpec('tcp', 80), [real(3, 8080), real(2, 8080), real(1, 8080)]);
    director.addService(svcSpec('udp', 53), [real(3, 5353), real(2, 5353), real(1, 5353)]);
    engine = new NftEngine(director, { exec: topo.exec('d'), statsIntervalMs: 0 });
    await engine.start();
  });

  after(async () => {
    await engine?.stop().catch(() => {});
    await topo.destroy();
  });

  it('TCP: rr spreads new connections evenly; real servers see the client’s own address', async () => {
    const lines = await topo.client('c', 'tcp', VIP, 80, 6);
    assert.deepEqual(tally(lines), { r1: 2, r2: 2, r3: 2 });
    for (const l of lines) assert.equal(l.split(' ')[1], '203.0.113.10');
  });

  it('UDP: rr spreads flows evenly; real servers see the client’s own address', async () => {
    const lines = await topo.client('c', 'udp', VIP, 53, 6);
    assert.deepEqual(tally(lines), { r1: 2, r2: 2, r3: 2 });
    for (const l of lines) assert.equal(l.split(' ')[1], '203.0.113.10');
  });

  it('counters reach the director’s Stats', async () => {
    await engine.refreshStats();
    const svc = director.getService(tcpId);
    assert.ok(svc.stats.conns >= 6, `conns ${svc.stats.conns}`);
    assert.ok(
      svc.stats.inPkts > 0 && svc.stats.outPkts > 0 && svc.stats.inBytes > 0 && svc.stats.outBytes > 0,
    );
    for (const d of svc.dests) assert.ok(d.stats.conns >= 2, `${d.id} conns ${d.stats.conns}`);
  });

  it('a health-down server gets no new flows; rr: new M and slots, no rebuild', async () => {
    director.editReal(tcpId, '198.51.100.12:8080', { health: 'down' });
    await engine.settled();
    assert.equal(engine.lastPlan, 'rules');
    const lines = await topo.client('c', 'tcp', VIP, 80, 6);
    assert.deepEqual(tally(lines), { r1: 3, r3: 3 });
    director.editReal(tcpId, '198.51.100.12:8080', { health: 'up' });
    await engine.settled();
  });

  it('a quiesced server keeps its established connection and gets no new ones', async () => {
    const stream = topo.spawn('c', ['node', 'test/system/support/peer.mjs', 'stream', VIP, '80']);
    const greeting = await lineFrom(stream, () => true, 'stream greeting');
    const name = greeting.split(' ')[0] as string;
    const id = `198.51.100.${10 + Number(name.slice(1))}:8080`;
    director.editReal(tcpId, id, { weight: 0 });
    await engine.settled();
    const echo = lineFrom(stream, (l) => l.startsWith('tick') || l === 'timeout', 'echo after quiesce');
    stream.stdin.write('tick 1\n');
    assert.equal(await echo, 'tick 1');
    const lines = await topo.client('c', 'tcp', VIP, 80, 4);
    assert.equal(tally(lines)[name], undefined);
    stream.kill();
    director.editReal(tcpId, id, { weight: 1 });
    await engine.settled();
  });

  it('per-element counters survive element changes and a rebuild; -Z works; refused packets count', async () => {
    /** packets of each element of a counted set, read from the kernel. */
    const kernel = async (set: string) => {
      const doc = JSON.parse(await topo.run('d', ['nft', '-j', 'list', 'set', 'inet', 'webfarm', set]));
      const found = doc.nftables.find((o: { set?: unknown }) => o.set).set as {
        elem: Array<{ elem: { val: number; counter: { packets: number } } }>;
      };
      return new Map(found.elem.map((e) => [e.elem.val, e.elem.counter.packets]));
    };
    await engine.refreshStats();
    director.zero(tcpId);
    await engine.refreshStats();
    assert.equal(director.getService(tcpId).stats.conns, 0, '-Z: nothing grew since');
    const before = await kernel('r_new');
    assert.ok(
      [...before.values()].every((p) => p >= 2),
      'every server took new connections',
    );
    // An element change (a quiesced server added), then a rebuild (scheduler rr → sh → rr).
    director.addReal(tcpId, { ...real(4, 8080), weight: 0 });
    await engine.settled();
    assert.notEqual(engine.lastPlan, 'rebuild');
    const spec = director.getService(tcpId).spec;
    director.editService(tcpId, { ...spec, scheduler: 'sh' });
    await engine.settled();
    assert.equal(engine.lastPlan, 'rebuild');
    director.editService(tcpId, spec);
    await engine.settled();
    const after = await kernel('r_new');
    for (const [mark, packets] of before) assert.ok((after.get(mark) ?? 0) >= packets, `mark ${mark} kept`);
    assert.deepEqual(tally(await topo.client('c', 'tcp', VIP, 80, 3)), { r1: 1, r2: 1, r3: 1 });
    await engine.refreshStats();
    assert.equal(director.getService(tcpId).stats.conns, 3);
    director.removeReal(tcpId, '198.51.100.14:8080');
    // No usable server: the datagram is dropped and counted as the service's refused.
    for (const i of [1, 2, 3]) director.editReal(udpId, `198.51.100.${10 + i}:5353`, { health: 'down' });
    await engine.settled();
    const refused = director.getService(udpId).refused;
    assert.deepEqual(await topo.client('c', 'udp', VIP, 53, 1), ['timeout']);
    await engine.refreshStats();
    assert.equal(director.getService(udpId).refused, refused + 1);
    for (const i of [1, 2, 3]) director.editReal(udpId, `198.51.100.${10 + i}:5353`, { health: 'up' });
    await engine.settled();
  });

  it('a refused batch leaves the previous ruleset in force', async () => {
    const runner = new NftRunner(topo.exec('d'));
    const before = await topo.run('d', ['nft', 'list', 'map', 'inet', 'webfarm', 's0_slots']);
    await assert.rejects(
      runner.apply('flush map inet webfarm s0_slots\nadd element inet webfarm no_such_map { 1 }\n'),
      (e) => isWebfarmError(e) && e.code === 'WF_ERR_NFT_APPLY',
    );
    assert.equal(await topo.run('d', ['nft', 'list', 'map', 'inet', 'webfarm', 's0_slots']), before);
    assert.equal((await topo.client('c', 'tcp', VIP, 80, 3)).filter((l) => l === 'timeout').length, 0);
  });

  it('an unsupported scheduler is refused before anything is applied', async () => {
    const d2 = new Director(systemClock, DEFAULT_TIMEOUTS);
    d2.addService({ ...svcSpec('tcp', 81), scheduler: 'wlc' }, [real(1, 8080)]);
    const e2 = new NftEngine(d2, { exec: topo.exec('d'), statsIntervalMs: 0, table: 'webfarm_x' });
    await assert.rejects(e2.start(), (e) => isWebfarmError(e) && e.code === 'WF_ERR_NFT_UNSUPPORTED');
    assert.doesNotMatch(await topo.run('d', ['nft', 'list', 'tables']), /webfarm_x/);
  });

  it('masquerade: real servers see the director instead of the client', async () => {
    await engine.stop();
    engine = new NftEngine(director, { exec: topo.exec('d'), statsIntervalMs: 0, masquerade: true });
    await engine.start();
    const lines = await topo.client('c', 'tcp', VIP, 80, 3);
    for (const l of lines) assert.equal(l.split(' ')[1], '198.51.100.1', l);
    void udpId;
  });

  it('stop removes the table', async () => {
    await engine.stop();
    assert.doesNotMatch(await topo.run('d', ['nft', 'list', 'tables']), /webfarm/);
  });
});
