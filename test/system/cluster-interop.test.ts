import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { adminRequest } from '../../src/admin/client.ts';
import type { ClusterDoc } from '../../src/admin/routes/cluster.ts';
import { waitFor } from './support/cluster-farm.ts';
import { HeartbeatNode, heartbeatUnavailable } from './support/heartbeat-node.ts';
import { lineFrom, netnsUnavailable, Topology } from './support/netns.ts';

/**
 * Issue #4 item 8: a webfarm director ("wf", `webfarm run -c`) and a real Linux-HA heartbeat 3.0.6 node
 * ("hbA", Debian's package, v1 haresources mode, nice_failback) in one two-node cluster in network
 * namespaces: client 192.0.2.10, hbA .4, wf .5 on one bridge; bcast eth0 port 694, sha1 authkeys, keepalive
 * 200 ms, deadtime 2 s, initdead 4 s on both; the floating address 192.0.2.240 (haresources
 * `hbA IPaddr::192.0.2.240/24/eth0`, webfarm's group with the same key). Proves: each sees the other alive
 * (GET /v1/cluster on wf; heartbeat's log on hbA), heartbeat's death moves the address to wf, and wf's death
 * moves it back to heartbeat; each time the client's neighbour entry follows. A dying node is simulated as
 * a machine dying: every process killed by PID, its link downed and the VIP gone from its kernel.
 */
const skip = netnsUnavailable() ?? heartbeatUnavailable();
if (skip !== undefined) process.stdout.write(`# cluster-interop system test skipped: ${skip}\n`);

const VIP = '192.0.2.240';
const KEY = 'interop-sha1-secret';
const WEBFARM = fileURLToPath(new URL('../../bin/webfarm.js', import.meta.url));

describe('interop: webfarm beside a real heartbeat 3.0.6 node', { skip }, () => {
  const topo = new Topology('hi');
  const dir = mkdtempSync(join(tmpdir(), 'wf-interop-'));
  const hb = new HeartbeatNode(topo, dir, {
    host: 'hba',
    name: 'hbA',
    nodes: ['hbA', 'wf'],
    haresources: `hbA IPaddr::${VIP}/24/eth0`,
    key: KEY,
    keepalive: '200ms',
    warntime: '1',
    deadtime: '2',
    initdead: '4',
    autoFailback: false,
  });
  const sock = join(dir, 'wf.sock');
  let wf: ChildProcessWithoutNullStreams | undefined;
  const wfLog: string[] = [];

  const holders = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const h of ['hba', 'wf']) {
      const text = await topo.run(h, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
      const links = JSON.parse(text) as { addr_info: { local: string }[] }[];
      if ((links[0]?.addr_info ?? []).some((a) => a.local === VIP)) out.push(h);
    }
    return out;
  };
  const neighbour = async (): Promise<string | undefined> => {
    // Ask for the address (refreshing the entry), then read it.
    spawnSync('ip', ['netns', 'exec', topo.ns('c'), 'ping', '-c', '1', '-W', '1', VIP], { stdio: 'ignore' });
    const text = await topo.run('c', ['ip', '-j', 'neigh', 'show', VIP]);
    const entries = JSON.parse(text.trim() || '[]') as { lladdr?: string; state?: string[] }[];
    return entries[0]?.lladdr;
  };
  const cluster = () => adminRequest(sock, 'GET', '/v1/cluster') as Promise<ClusterDoc>;
  const hbSaw = (what: RegExp) => (hb.log().match(new RegExp(what, 'g')) ?? []).length;

  async function startWf(): Promise<void> {
    wf = topo.spawn('wf', [process.execPath, WEBFARM, 'run', '-c', join(dir, 'wf.yaml')]);
    wf.stderr.on('data', (d: Buffer) => {
      wfLog.push(...d.toString().split('\n').filter(Boolean));
      if (wfLog.length > 300) wfLog.splice(0, wfLog.length - 300);
    });
    await lineFrom(wf, (l) => l.includes('press Ctrl-C'), 'wf to start', 20_000);
  }

  /** A machine dies: its processes are killed, its link goes down, its kernel forgets the VIP. */
  async function die(host: 'hba' | 'wf'): Promise<void> {
    if (host === 'hba') await hb.kill();
    else if (wf && wf.exitCode === null && wf.signalCode === null) {
      const exited = once(wf, 'exit');
      process.kill(wf.pid as number, 'SIGKILL');
      await exited;
    }
    await topo.run(host, ['ip', 'link', 'set', 'eth0', 'down']);
    await topo.run(host, ['ip', 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`]);
  }

  /** The machine comes back: link up (without the address: it died with the machine). */
  async function revive(host: 'hba' | 'wf'): Promise<void> {
    await topo.run(host, ['ip', 'link', 'set', 'eth0', 'up']);
  }

  const explain = async (body: () => Promise<void>) => {
    try {
      await body();
    } catch (e) {
      if (e instanceof Error)
        e.message = `${e.message}\n--- wf\n${wfLog.slice(-40).join('\n')}\n--- hbA\n${hb.log().split('\n').slice(-80).join('\n')}`;
      throw e;
    }
  };

  before(async () => {
    await topo.addSwitch(['lan']);
    await topo.addHost('c', [{ bridge: 'lan', dev: 'eth0', addrs: ['192.0.2.10/24'] }]);
    for (const [host, addr] of [
      ['hba', '192.0.2.4'],
      ['wf', '192.0.2.5'],
    ] as const) {
      await topo.addHost(host, [{ bridge: 'lan', dev: 'eth0', addrs: [] }]);
      // `brd +`: without a broadcast address heartbeat's bcast sends to 0.0.0.0 (heartbeat-3.0.6 notes).
      await topo.run(host, ['ip', 'addr', 'add', `${addr}/24`, 'brd', '+', 'dev', 'eth0']);
    }
    hb.writeConfig();
    const keyFile = join(dir, 'cluster.key');
    writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    writeFileSync(
      join(dir, 'wf.yaml'),
      [
        'services: []',
        'admin:',
        `  socket: ${sock}`,
        '  state_file: false',
        'cluster:',
        '  node: wf',
        '  nodes: [hba, wf]',
        '  media:',
        '    - { type: bcast, device: eth0 }',
        '  timing: { keepalive: 200ms, warntime: 1s, deadtime: 2s, initdead: 4s }',
        `  auth: { method: sha1, key_file: ${keyFile} }`,
        '  auto_failback: false',
        `  generation_file: ${join(dir, 'generation-wf')}`,
        '  resource_groups:',
        '    - preferred: hba',
        '      resources:',
        `        - ipaddr: { address: ${VIP}, prefix: 24, device: eth0 }`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await hb.kill().catch(() => {});
    await topo.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('heartbeat alone takes its address; then wf and heartbeat see each other alive', async () => {
    await explain(async () => {
      await hb.start();
      await waitFor(holders, (h) => h.join() === 'hba', 'heartbeat to hold the VIP alone', 20_000);
      await startWf();
      const doc = await waitFor(
        cluster,
        (d) => d.peers[0]?.name === 'hba' && d.peers[0].status === 'up',
        'wf to see hba up',
      );
      assert.equal(doc.counters.rejected['bad-digest'] ?? 0, 0, 'heartbeat sha1 digests verify');
      await waitFor(
        () => hbSaw(/Status update for node wf: status active/),
        (n) => n >= 1,
        "heartbeat's log to show wf active",
      );
      await waitFor(
        () => hbSaw(/Link wf:eth0 up/),
        (n) => n >= 1,
        "heartbeat's link to wf up",
      );
      // Nobody takes the address twice while both run.
      assert.deepEqual(await holders(), ['hba']);
      assert.equal(await neighbour(), await topo.mac('hba', 'eth0'));
    });
  });

  it("heartbeat dies: wf declares it dead and takes the address; the client's entry follows", async () => {
    await explain(async () => {
      await die('hba');
      await waitFor(
        cluster,
        (d) => d.peers[0]?.status === 'dead' && d.groups[0]?.owner === 'wf' && d.groups[0].op === null,
        'wf to declare hba dead and hold the group',
      );
      const macWf = await topo.mac('wf', 'eth0');
      await waitFor(neighbour, (m) => m === macWf, "the client's entry to hold wf's MAC");
    });
  });

  it("wf dies: the restarted heartbeat takes the address over; the client's entry follows", async () => {
    await explain(async () => {
      await revive('hba');
      const before = hbSaw(/Status update for node wf: status active/);
      await hb.start();
      await waitFor(
        () => hbSaw(/Status update for node wf: status active/),
        (n) => n > before,
        'the restarted heartbeat to see wf active',
      );
      // heartbeat's nice_failback start asks `starting`; webfarm's `resource rsc_hold=foreign isstable=1`
      // answer lets it settle without taking its own group back (hb_resource.c: other holds foreign).
      await waitFor(
        () => hbSaw(/Initial resource acquisition complete \(T_RESOURCES\(them\)\)/),
        (n) => n >= 1,
        "the restarted heartbeat to settle on webfarm's resource answer",
      );
      assert.deepEqual(await holders(), ['wf'], 'heartbeat leaves the address where it is');
      await die('wf');
      await waitFor(holders, (h) => h.join() === 'hba', 'heartbeat to take the VIP', 20_000);
      assert.ok(hbSaw(/node wf: is dead/) >= 1);
      const macA = await topo.mac('hba', 'eth0');
      await waitFor(neighbour, (m) => m === macA, "the client's entry to hold hbA's MAC", 15_000);
    });
  });
});
