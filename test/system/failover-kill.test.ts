import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  describeFarm,
  expectServedBy,
  isRealName,
  waitFor,
  withDiagnostics,
} from './support/cluster-farm.ts';

/**
 * Issue #4 "Done when": two real `webfarm run -c` directors in namespaces, heartbeats over UDP broadcast
 * and a serial line, auto_failback on. kill -9 of the active director moves the address and the services
 * to the standby; the client's requests to the address succeed again and its neighbour entry holds the
 * standby's MAC. The preferred director, restarted, takes its group back (auto_failback on); stopped
 * cleanly (SIGTERM), it hands the group over and leaves no address behind.
 */
describeFarm(
  'failover-kill',
  'failover: kill -9 of the active director (bcast + serial, auto_failback on)',
  { tag: 'fk', media: ['bcast', 'serial'], autoFailback: true },
  (farm) => {
    it('the preferred director holds the address and serves; both see each other on every link', async () => {
      await withDiagnostics(farm, async () => {
        await waitFor(
          () => farm.holders(),
          (h) => h.length === 1 && h[0] === 'dira',
          'dira alone to hold the VIP',
        );
        const bodies = new Set<string>();
        for (let i = 0; i < 4; i++) bodies.add(await farm.get());
        assert.deepEqual([...bodies].sort(), ['r1', 'r2'], 'round robin over both real servers');
        assert.equal(await farm.clientNeighbour(), await farm.mac('dira'));
        const docB = await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.peers[0]?.links.length === 2 && d.peers[0].links.every((l) => l.status === 'up'),
          'dirb to see dira on both links',
        );
        assert.equal(docB.peers[0]?.status, 'up');
        assert.deepEqual(
          docB.groups.map((g) => [g.key, g.owner]),
          [['IPaddr::192.0.2.240/24/eth0', 'dira']],
        );
        const docA = await farm.cluster('dira');
        assert.equal(docA.groups[0]?.owner, 'dira');
        assert.equal(docA.counters.rejected['bad-digest'], 0);
        // The standby binds nothing: its services follow the group.
        const status = farm.cli('dirb', ['status']);
        assert.equal(status.code, 0, status.stderr);
        assert.match(status.stdout, /cluster node dirb \(active\)/);
        assert.match(status.stdout, /peer dira up — bcast eth0 up, serial .* up/);
        assert.match(status.stdout, /group IPaddr::192\.0\.2\.240\/24\/eth0 preferred dira: held by dira/);
      });
    });

    it('kill -9 of dira: dirb takes the address and the services; the client reaches r1/r2 via dirb', async () => {
      await withDiagnostics(farm, async () => {
        const macB = await farm.mac('dirb');
        await farm.kill('dira');
        await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.peers[0]?.status === 'dead' && d.groups[0]?.owner === 'dirb' && d.groups[0].op === null,
          'dirb to declare dira dead and hold the group',
        );
        await waitFor(() => farm.get(), isRealName, 'a client request through the VIP to succeed again');
        await waitFor(
          () => farm.clientNeighbour(),
          (m) => m === macB,
          "the client's entry to hold dirb's MAC",
        );
        // dira's kernel still has the address (the process died, not the machine): dirb holds it too.
        assert.ok((await farm.holders()).includes('dirb'));
      });
    });

    it('dira restarts: it releases the stale address, then takes its group back (auto_failback on)', async () => {
      await withDiagnostics(farm, async () => {
        await farm.start('dira');
        await waitFor(
          () => farm.holders(),
          (h) => h.length === 1 && h[0] === 'dira',
          'dira alone to hold the VIP again',
        );
        const docB = await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.peers[0]?.status === 'up' && d.groups[0]?.owner === 'dira' && d.groups[0].op === null,
          'dirb to see dira up and holding the group',
        );
        assert.equal(docB.groups.length, 1);
        const macA = await farm.mac('dira');
        await waitFor(() => farm.get(), isRealName, 'a client request through the VIP');
        await waitFor(
          () => farm.clientNeighbour(),
          (m) => m === macA,
          "the client's entry to hold dira's MAC",
        );
      });
    });

    it('SIGTERM of dira: it hands its group to dirb and releases the address before exiting', async () => {
      await withDiagnostics(farm, async () => {
        await farm.kill('dira', 'SIGTERM');
        // Unlike kill -9, nothing is left on dira: exactly one holder.
        await waitFor(
          () => farm.holders(),
          (h) => h.join() === 'dirb',
          'dirb alone to hold the VIP',
        );
        await expectServedBy(farm, 'dirb');
      });
    });
  },
);
