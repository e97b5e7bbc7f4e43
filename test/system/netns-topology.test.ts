import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { lineFrom } from '../../src/lab/child-lines.ts';
import { netnsUnavailable, Topology } from '../../src/lab/netns.ts';

/**
 * The one namespace module (src/lab/netns.ts): bridges keep segments apart, hosts reach each other only on
 * their own bridge, and destroy() removes every namespace and process — also after a build that failed
 * half-way.
 */

const skip = netnsUnavailable();

describe('namespace topology', { skip }, () => {
  const topo = new Topology('nt');
  after(() => topo.destroy());

  it('builds hosts on separate bridges', async () => {
    await topo.addSwitch(['lan', 'back']);
    await topo.addHost('a', [
      { bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.1/24'] },
      { bridge: 'back', dev: 'eth1', addrs: ['198.51.100.1/24'] },
    ]);
    await topo.addHost('b', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.2/24'] }]);
    await topo.addHost('c', [{ bridge: 'back', dev: 'eth0', addrs: ['198.51.100.3/24', '192.0.2.3/24'] }]);
    assert.equal(topo.ns('a'), `wfnt${process.pid}-a`);
    const ping = (from: string, to: string) =>
      topo
        .exec(from)
        .run(['ping', '-c', '1', '-W', '1', to])
        .then((r) => r.code);
    assert.equal(await ping('b', '192.0.2.1'), 0, 'same bridge');
    assert.equal(await ping('c', '198.51.100.1'), 0, 'same bridge');
    // c has an address in b's subnet but sits on the other bridge: no path.
    assert.notEqual(await ping('c', '192.0.2.2'), 0, 'other bridge');
    assert.match(await topo.mac('a', 'eth1'), /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const routes = await topo.run('a', ['ip', '-j', 'route', 'show', 'default']);
    assert.deepEqual(JSON.parse(routes), [], 'no default route');
  });

  it('runs and ends processes by PID; destroy leaves nothing, also after a failed build', async () => {
    const child = topo.spawn('a', ['sh', '-c', 'echo up; exec sleep 60']);
    await lineFrom(child, (l) => l === 'up', 'the child');
    process.kill(child.pid as number, 'SIGSTOP');
    await assert.rejects(
      topo.addHost('bad', [{ bridge: 'lan', dev: 'eth0', addrs: ['not-an-address'] }]),
      /failed/,
    );
    assert.equal(topo.leftNamespaces().length, 5, topo.leftNamespaces().join(' '));
    assert.deepEqual(topo.liveChildren(), [child.pid]);
    await topo.destroy();
    assert.deepEqual(topo.leftNamespaces(), []);
    assert.deepEqual(topo.liveChildren(), []);
    assert.equal(child.signalCode, 'SIGKILL');
  });
});
