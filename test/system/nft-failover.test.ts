import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Director } from '../../src/director/director.ts';
import { REAL_DEFAULTS, type RealServerSpec } from '../../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../../src/director/timeouts.ts';
import { SERVICE_DEFAULTS, type ServiceSpec } from '../../src/director/virtual-service.ts';
import { NftEngine } from '../../src/engines/nft/nft-engine.ts';
import { realServerUp } from '../../src/engines/nft/realserver-setup.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { PEER, Topology, lineFrom, netnsUnavailable } from './support/netns.ts';

/**
 * Issue #5 item 7, the part that does not need the cluster (issue #4): two directors with the same DR + mh
 * config compute the same Maglev table; a long-lived TCP stream goes through director A; the test itself
 * moves the VIP (ip addr del on A, ip addr add + arping -U on B, as the cluster's takeover will) and the
 * stream keeps working through B with no state handed over.
 */
const VIP = '192.0.2.240';
const skip = netnsUnavailable();

const spec: ServiceSpec = {
  protocol: 'tcp',
  address: VIP,
  port: 80,
  scheduler: 'mh',
  flags: [],
  expireQuiescentTemplate: false,
  onePacket: false,
  proxyProtocol: 'off',
  connect: SERVICE_DEFAULTS.connect,
};
const reals: RealServerSpec[] = [1, 2, 3].map((i) => ({
  ...REAL_DEFAULTS,
  address: `192.0.2.${10 + i}`,
  port: 80,
  forward: 'route',
}));

describe('nft engine, DR + mh across a director failover', { skip }, () => {
  const topo = new Topology('f');
  const engines: NftEngine[] = [];
  const directors: Director[] = [];

  before(async () => {
    await topo.addSwitch(['lan']);
    await topo.addHost('c', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.10/24'] }]);
    await topo.addHost('a', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.1/24', `${VIP}/24`] }]);
    await topo.addHost('b', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.2/24'] }]);
    for (const i of [1, 2, 3]) {
      await topo.addHost(`r${i}`, [{ bridge: 'lan', dev: 'eth0', addrs: [`192.0.2.${10 + i}/24`] }]);
      await realServerUp(topo.exec(`r${i}`), [VIP]);
      await topo.startServer(`r${i}`, `r${i}`, 80, 53, VIP);
    }
    for (const host of ['a', 'b']) {
      const d = new Director(systemClock, DEFAULT_TIMEOUTS);
      d.addService(spec, reals);
      const e = new NftEngine(d, {
        exec: topo.exec(host),
        statsIntervalMs: 0,
        device: 'eth0',
        mhTableSize: 251,
      });
      await e.start();
      directors.push(d);
      engines.push(e);
    }
  });

  after(async () => {
    for (const e of engines) await e.stop().catch(() => {});
    await topo.destroy();
  });

  it('both directors hold the same slot table', async () => {
    const slots = async (h: string) => topo.run(h, ['nft', 'list', 'map', 'netdev', 'webfarm', 's0_slots']);
    assert.equal(await slots('a'), await slots('b'));
  });

  it('a streaming connection survives the VIP moving from A to B', async () => {
    const stream = topo.spawn('c', ['node', PEER, 'stream', VIP, '80']);
    const name = (await lineFrom(stream, () => true, 'greeting')).split(' ')[0];
    const tick = async (k: number) => {
      const echo = lineFrom(
        stream,
        (l) => l.startsWith('tick') || l === 'timeout' || l.startsWith('error'),
        `echo ${k}`,
      );
      stream.stdin.write(`tick ${k}\n`);
      assert.equal(await echo, `tick ${k}`);
    };
    await tick(1);
    await tick(2);

    // Takeover, driven by the test (the cluster of issue #4 will do exactly this).
    const bMac = await topo.mac('b', 'eth0');
    await topo.run('a', ['ip', 'addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
    await topo.run('b', ['ip', 'addr', 'add', `${VIP}/24`, 'dev', 'eth0']);
    await topo.run('b', ['arping', '-q', '-U', '-c', '1', '-I', 'eth0', VIP]).catch(() => '');
    const deadline = Date.now() + 5000;
    for (;;) {
      const [n] = JSON.parse(await topo.run('c', ['ip', '-j', 'neigh', 'show', 'to', VIP])) as Array<{
        lladdr?: string;
      }>;
      if (n?.lladdr === bMac) break;
      assert.ok(Date.now() < deadline, 'client never learnt the VIP at B');
      await new Promise((r) => setTimeout(r, 20));
    }

    await engines[1]?.refreshStats();
    const before = directors[1]?.getService(`tcp:${VIP}:80`).stats.inPkts ?? 0;
    for (const k of [3, 4, 5]) await tick(k);
    await engines[1]?.refreshStats();
    const afterPkts = directors[1]?.getService(`tcp:${VIP}:80`).stats.inPkts ?? 0;
    assert.ok(afterPkts > before, 'the stream now flows through B');
    stream.kill();

    // A new connection from the same client lands on the same real server through B (same table, same hash).
    const lines = await topo.client('c', 'tcp', VIP, 80, 3);
    for (const l of lines) assert.equal(l.split(' ')[0], name);
  });
});
