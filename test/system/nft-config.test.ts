import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realServerUp } from '../../src/engines/nft/realserver-setup.ts';
import { Topology, lineFrom, netnsUnavailable, tally } from './support/netns.ts';

/**
 * The real executable, `webfarm run -c` with `engine: nft`, in a director namespace. One bridge "lan"
 * 192.0.2.0/24: client .10, director .1 with the VIPs .240 (DR) and .241 (NAT), DR real servers r1, r2
 * (.11, .12) holding .240 on lo. A bridge "back" 198.51.100.0/24: director .1, NAT real servers n1, n2
 * (.21, .22) routing 192.0.2.0/24 back via the director. No default route anywhere.
 */
const DR_VIP = '192.0.2.240';
const NAT_VIP = '192.0.2.241';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEBFARM = join(ROOT, 'bin', 'webfarm.js');
const skip = netnsUnavailable();

const CONFIG = `engine: nft
nft: { table: wfsys, stats_interval: 0 }
admin: { state_file: false }
services:
  - name: dr
    address: ${DR_VIP}
    port: 80
    scheduler: rr
    real_servers:
      - { address: 192.0.2.11, forward: route }
      - { address: 192.0.2.12, forward: route }
  - name: nat
    address: ${NAT_VIP}
    port: 80
    scheduler: rr
    real_servers:
      - { address: 198.51.100.21, port: 8080, forward: masq }
      - { address: 198.51.100.22, port: 8080, forward: masq }
`;

describe('webfarm run -c with engine: nft', { skip }, () => {
  const topo = new Topology('c');
  const dir = mkdtempSync(join(tmpdir(), 'wf-nftcfg-'));
  let farm: ChildProcessWithoutNullStreams | undefined;
  const stderr: string[] = [];

  before(async () => {
    await topo.addSwitch(['lan', 'back']);
    await topo.addHost('c', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.10/24'] }]);
    await topo.addHost('d', [
      { bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.1/24', `${DR_VIP}/24`, `${NAT_VIP}/24`] },
      { bridge: 'back', dev: 'eth1', addrs: ['198.51.100.1/24'] },
    ]);
    await topo.run('d', ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    for (const i of [1, 2]) {
      await topo.addHost(`r${i}`, [{ bridge: 'lan', dev: 'eth0', addrs: [`192.0.2.${10 + i}/24`] }]);
      await realServerUp(topo.exec(`r${i}`), [DR_VIP]);
      await topo.startServer(`r${i}`, `r${i}`, 80, 53, DR_VIP);
      await topo.addHost(`n${i}`, [{ bridge: 'back', dev: 'eth0', addrs: [`198.51.100.${20 + i}/24`] }]);
      await topo.run(`n${i}`, ['ip', 'route', 'add', '192.0.2.0/24', 'via', '198.51.100.1']);
      await topo.startServer(`n${i}`, `n${i}`, 8080, 5353, '0.0.0.0');
    }
    const config = join(dir, 'webfarm.yaml');
    writeFileSync(config, CONFIG);
    farm = topo.spawn('d', [process.execPath, WEBFARM, 'run', '-c', config, '-s', join(dir, 'wf.sock')]);
    farm.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
    await lineFrom(farm, (l) => l.includes('press Ctrl-C'), 'webfarm run to start', 20_000).catch((e) => {
      throw new Error(`${(e as Error).message}; stderr: ${stderr.join('')}`);
    });
  });

  after(async () => {
    await topo.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the nft engine runs and says so', () => {
    const r = spawnSync(process.execPath, [WEBFARM, 'status', '-s', join(dir, 'wf.sock')], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /nft/);
  });

  it('direct routing: requests reach the real servers, which see the client', async () => {
    const lines = await topo.client('c', 'tcp', DR_VIP, 80, 4);
    assert.deepEqual(tally(lines), { r1: 2, r2: 2 });
    for (const l of lines) assert.equal(l.split(' ')[1], '192.0.2.10', l);
  });

  it('NAT: requests reach the real servers on their own port, which see the client', async () => {
    const lines = await topo.client('c', 'tcp', NAT_VIP, 80, 4);
    assert.deepEqual(tally(lines), { n1: 2, n2: 2 });
    for (const l of lines) assert.equal(l.split(' ')[1], '192.0.2.10', l);
  });

  it('SIGTERM stops it and removes the table', async () => {
    assert.match(await topo.run('d', ['nft', 'list', 'tables']), /wfsys/);
    const child = farm as ChildProcessWithoutNullStreams;
    const exited = once(child, 'exit');
    process.kill(child.pid as number, 'SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, stderr.join(''));
    assert.doesNotMatch(await topo.run('d', ['nft', 'list', 'tables']), /wfsys/);
  });
});
