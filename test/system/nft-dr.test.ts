import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Director } from '../../src/director/director.ts';
import { REAL_DEFAULTS, type RealServerSpec } from '../../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../../src/director/timeouts.ts';
import { serviceSpec, type ServiceSpec } from '../../src/director/virtual-service.ts';
import { NftEngine } from '../../src/engines/nft/nft-engine.ts';
import { realServerDown, realServerUp } from '../../src/engines/nft/realserver-setup.ts';
import { isWebfarmError } from '../../src/model/errors.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { PEER, Topology, lineFrom, netnsUnavailable, tally } from './support/netns.ts';

/**
 * Direct routing (-g) through the nft engine: one bridge 192.0.2.0/24 with client .10, director .1 (+ VIP
 * .240), real servers r1..r3 .11-.13 holding the VIP on lo (`realServerUp`, the code behind
 * `webfarm realserver up`). A second bridge 198.51.100.0/24 holds a host the director reaches only through
 * a gateway, for the "not on the segment" error.
 */
const VIP = '192.0.2.240';
const skip = netnsUnavailable();

const svcSpec = (
  protocol: 'tcp' | 'udp',
  port: number,
  scheduler: ServiceSpec['scheduler'] = 'rr',
): ServiceSpec => serviceSpec(protocol, VIP, port, scheduler);
const real = (address: string, port: number): RealServerSpec => ({
  ...REAL_DEFAULTS,
  address,
  port,
  forward: 'route',
});
const reals = (port: number) => [3, 2, 1].map((i) => real(`192.0.2.${10 + i}`, port));

describe('nft engine, direct routing', { skip }, () => {
  const topo = new Topology('r');
  let director: Director;
  let engine: NftEngine;
  let directorMac = '';
  const tcpId = `tcp:${VIP}:80`;

  before(async () => {
    await topo.addSwitch(['lan', 'far']);
    await topo.addHost('c', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.10/24'] }]);
    await topo.addHost('d', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.1/24', `${VIP}/24`] }]);
    await topo.run('d', ['ip', 'route', 'add', '198.51.100.0/24', 'via', '192.0.2.11']);
    for (const i of [1, 2, 3]) {
      await topo.addHost(`r${i}`, [{ bridge: 'lan', dev: 'eth0', addrs: [`192.0.2.${10 + i}/24`] }]);
      const change = await realServerUp(topo.exec(`r${i}`), [VIP]);
      assert.deepEqual(change.added, [VIP]);
      await topo.startServer(`r${i}`, `r${i}`, 80, 53, VIP);
    }
    directorMac = await topo.mac('d', 'eth0');
    // Count, at the client, every IP packet from the VIP and those of them that came from the director's MAC.
    await topo.run(
      'c',
      ['nft', '-f', '-'],
      `table netdev obs {
        counter from_vip {}
        counter via_director {}
        chain in { type filter hook ingress device "eth0" priority 0; policy accept;
          ip saddr ${VIP} counter name from_vip
          ip saddr ${VIP} ether saddr ${directorMac} counter name via_director
        }
      }\n`,
    );
    director = new Director(systemClock, DEFAULT_TIMEOUTS);
    director.addService(svcSpec('tcp', 80), reals(80));
    director.addService(svcSpec('udp', 53), reals(53));
    engine = new NftEngine(director, { exec: topo.exec('d'), statsIntervalMs: 0 });
    await engine.start();
  });

  after(async () => {
    await engine?.stop().catch(() => {});
    await topo.destroy();
  });

  const observed = async (name: string) => {
    const [obj] = JSON.parse(
      await topo.run('c', ['nft', '-j', 'list', 'counter', 'netdev', 'obs', name]),
    ).nftables.filter((o: { counter?: unknown }) => o.counter);
    return obj.counter.packets as number;
  };

  it('realserver up is idempotent', async () => {
    const again = await realServerUp(topo.exec('r1'), [VIP]);
    assert.deepEqual(again.added, []);
    assert.equal((await topo.run('r1', ['sysctl', '-n', 'net.ipv4.conf.all.arp_ignore'])).trim(), '1');
  });

  it('TCP: rr spreads; real servers see the client’s own address', async () => {
    const lines = await topo.client('c', 'tcp', VIP, 80, 6);
    assert.deepEqual(tally(lines), { r1: 2, r2: 2, r3: 2 });
    for (const l of lines) assert.equal(l.split(' ')[1], '192.0.2.10');
  });

  it('UDP: rr spreads; real servers see the client’s own address', async () => {
    const lines = await topo.client('c', 'udp', VIP, 53, 6);
    assert.deepEqual(tally(lines), { r1: 2, r2: 2, r3: 2 });
    for (const l of lines) assert.equal(l.split(' ')[1], '192.0.2.10');
  });

  it('replies go from the real servers straight to the client, never through the director', async () => {
    assert.ok((await observed('from_vip')) > 0);
    assert.equal(await observed('via_director'), 0);
    await engine.refreshStats();
    const svc = director.getService(tcpId);
    assert.ok(svc.stats.conns >= 6 && svc.stats.inPkts > 0);
    assert.equal(svc.stats.outPkts, 0);
  });

  it('a health-down server gets no new flows (rr: new M and slots, no rebuild)', async () => {
    director.editReal(tcpId, '192.0.2.12:80', { health: 'down' });
    await engine.settled();
    assert.equal(engine.lastPlan, 'rules');
    assert.deepEqual(tally(await topo.client('c', 'tcp', VIP, 80, 6)), { r1: 3, r3: 3 });
    director.editReal(tcpId, '192.0.2.12:80', { health: 'up' });
    await engine.settled();
  });

  it('a reused client port: a closed flow keeps a usable server; once the server is down, it is scheduled afresh', async () => {
    // Each connection ends with the client's RST: its flow entry becomes closing (s0_fin, tcpfin timeout).
    const from = async () => (await topo.run('c', ['node', PEER, 'tcpfrom', VIP, '80', '40123'])).trim();
    const first = (await from()).split(' ')[0] as string;
    assert.match(first, /^r[123]$/);
    assert.equal((await from()).split(' ')[0], first, 'the flow entry keeps a usable server');
    const id = `192.0.2.${10 + Number(first.slice(1))}:80`;
    await engine.refreshStats();
    const real = director.getService(tcpId).findReal(id);
    assert.ok((real?.inactConns ?? 0) >= 1, 'a closing flow counts as inactive');
    director.editReal(tcpId, id, { health: 'down' });
    await engine.settled();
    const again = (await from()).split(' ')[0] as string;
    assert.match(again, /^r[123]$/);
    assert.notEqual(again, first, "the server's closing flows were dropped: the SYN was scheduled afresh");
    director.editReal(tcpId, id, { health: 'up' });
    await engine.settled();
  });

  it('a quiesced server keeps its flow (flow table) and gets no new ones', async () => {
    const stream = topo.spawn('c', ['node', PEER, 'stream', VIP, '80']);
    const name = (await lineFrom(stream, () => true, 'stream greeting')).split(' ')[0] as string;
    const id = `192.0.2.${10 + Number(name.slice(1))}:80`;
    director.editReal(tcpId, id, { weight: 0 });
    await engine.settled();
    for (const k of [1, 2, 3]) {
      const echo = lineFrom(stream, (l) => l.startsWith('tick') || l === 'timeout', `echo ${k}`);
      stream.stdin.write(`tick ${k}\n`);
      assert.equal(await echo, `tick ${k}`);
    }
    assert.equal(tally(await topo.client('c', 'tcp', VIP, 80, 4))[name], undefined);
    await engine.refreshStats();
    assert.ok(
      (director.getService(tcpId).findReal(id)?.activeConns ?? 0) >= 1,
      'flow table entry counted active',
    );
    stream.kill();
    director.editReal(tcpId, id, { weight: 1 });
    await engine.settled();
  });

  it('adding a real server (elements only) and a rebuild in place both keep established flows', async () => {
    const stream = topo.spawn('c', ['node', PEER, 'stream', VIP, '80']);
    await lineFrom(stream, () => true, 'stream greeting');
    const tick = async (k: number) => {
      const echo = lineFrom(stream, (l) => l.startsWith('tick') || l === 'timeout', `echo ${k}`);
      stream.stdin.write(`tick ${k}\n`);
      assert.equal(await echo, `tick ${k}`);
    };
    director.addReal(tcpId, real('192.0.2.13', 81));
    await engine.settled();
    assert.equal(engine.lastPlan, 'rules', 'no object per real server: no rebuild');
    await tick(8);
    const spec = director.getService(tcpId).spec;
    director.editService(tcpId, { ...spec, scheduler: 'sh' });
    await engine.settled();
    assert.equal(engine.lastPlan, 'rebuild');
    await tick(9);
    stream.kill();
    director.editService(tcpId, spec);
    director.removeReal(tcpId, '192.0.2.13:81');
    await engine.settled();
  });

  it('a local fallback (127.0.0.1, as the health layer adds it) serves the director’s own page; a returning real server takes new connections', async () => {
    // The director's page listens on every address, port 80: the packet reaches it with the VIP unchanged.
    await topo.startServer('d', 'director', 80, 5353, '127.0.0.1');
    const ids = [1, 2, 3].map((i) => `192.0.2.${10 + i}:80`);
    for (const id of ids) director.editReal(tcpId, id, { health: 'down' });
    director.addReal(tcpId, { ...REAL_DEFAULTS, address: '127.0.0.1', port: 80, fallback: true });
    await engine.serviceReady(tcpId);
    const local = await topo.client('c', 'tcp', VIP, 80, 4);
    assert.deepEqual(local, new Array(4).fill('director 192.0.2.10'));
    await engine.refreshStats();
    assert.ok((director.getService(tcpId).findReal('127.0.0.1:80')?.stats.conns ?? 0) >= 4);
    // The health layer's recovery: the server comes back up and the fallback goes.
    director.editReal(tcpId, ids[0] as string, { health: 'up' });
    director.removeReal(tcpId, '127.0.0.1:80');
    await engine.serviceReady(tcpId);
    assert.deepEqual(tally(await topo.client('c', 'tcp', VIP, 80, 4)), { r1: 4 });
    for (const id of ids) director.editReal(tcpId, id, { health: 'up' });
    await engine.settled();
  });

  it('DR to a real server off the segment is refused before anything is applied', async () => {
    const d2 = new Director(systemClock, DEFAULT_TIMEOUTS);
    d2.addService(svcSpec('tcp', 8080), [real('198.51.100.50', 80)]);
    const e2 = new NftEngine(d2, {
      exec: topo.exec('d'),
      statsIntervalMs: 0,
      table: 'webfarm_y',
      device: 'eth0',
    });
    await assert.rejects(e2.start(), (e) => isWebfarmError(e) && e.code === 'WF_ERR_NFT_SEGMENT');
    assert.doesNotMatch(await topo.run('d', ['nft', 'list', 'tables']), /webfarm_y/);
  });

  it('tunnelling (-i) is refused', async () => {
    const d2 = new Director(systemClock, DEFAULT_TIMEOUTS);
    d2.addService(svcSpec('tcp', 8081), [{ ...real('192.0.2.11', 80), forward: 'tunnel' }]);
    const e2 = new NftEngine(d2, { exec: topo.exec('d'), statsIntervalMs: 0, table: 'webfarm_z' });
    await assert.rejects(e2.start(), (e) => isWebfarmError(e) && e.code === 'WF_ERR_NFT_UNSUPPORTED');
  });

  it('stop removes the table; realserver down undoes up', async () => {
    await engine.stop();
    assert.doesNotMatch(await topo.run('d', ['nft', 'list', 'tables']), /webfarm/);
    const down = await realServerDown(topo.exec('r1'), [VIP]);
    assert.deepEqual(down, { added: [], removed: [VIP], arp: 'reset' });
    assert.deepEqual(await realServerDown(topo.exec('r1'), [VIP]), { added: [], removed: [], arp: 'reset' });
    assert.equal((await topo.run('r1', ['sysctl', '-n', 'net.ipv4.conf.all.arp_ignore'])).trim(), '0');
  });
});
