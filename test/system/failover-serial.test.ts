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
 * Issue #4 "Done when", the same failover over the serial medium alone (a socat pty pair as the null-modem
 * cable, classic frames at 115200 baud): kill -9 of the active director moves the address and the
 * services; the client's requests succeed again and its entry holds the standby's MAC; the returning
 * preferred node gets its group back (auto_failback on). Cutting the serial link beside UDP, and healing a
 * split brain through it: failover-media.test.ts.
 */
describeFarm(
  'failover-serial',
  'failover over the serial medium alone',
  { tag: 'fs', media: ['serial'], autoFailback: true },
  (farm) => {
    it('kill -9 of dira: dirb takes over over serial alone; dira returns and takes its group back', async () => {
      await withDiagnostics(farm, async () => {
        const doc = await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.peers[0]?.status === 'up' && d.groups[0]?.owner === 'dira',
          'dirb to see dira (over serial) holding the group',
        );
        assert.deepEqual(
          doc.peers[0]?.links.map((l) => l.name),
          [`serial ${farm.tty('dirb')}`],
        );
        await waitFor(() => farm.get(), isRealName, 'a client request through dira');
        assert.equal(await farm.clientNeighbour(), await farm.mac('dira'));

        await farm.kill('dira');
        await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.peers[0]?.status === 'dead' && d.groups[0]?.owner === 'dirb' && d.groups[0].op === null,
          'dirb to take the group',
        );
        await expectServedBy(farm, 'dirb');

        await farm.start('dira');
        await waitFor(
          () => farm.holders(),
          (h) => h.join() === 'dira',
          'dira alone to hold the VIP again',
        );
        await waitFor(() => farm.get(), isRealName, 'a client request through dira again');
      });
    });
  },
);
