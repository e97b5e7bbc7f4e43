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
 * Issue #4 "Done when", auto_failback off (heartbeat's nice_failback), over UDP broadcast alone: after a
 * failover the survivor keeps the group when the preferred node returns; `webfarm takeover` on the
 * preferred node brings it back (the peer gives first, the address is never up twice), `webfarm standby`
 * hands it over again; `webfarm standby` is refused while the peer is down. (auto_failback on is
 * failover-kill.test.ts.)
 */
describeFarm(
  'failover-failback',
  'failover: auto_failback off, standby and takeover (bcast)',
  { tag: 'fb', media: ['bcast'], autoFailback: false },
  (farm) => {
    it('kill -9 of dira moves the group to dirb; dira restarted does not take it back', async () => {
      await withDiagnostics(farm, async () => {
        await waitFor(
          () => farm.holders(),
          (h) => h.join() === 'dira',
          'dira to hold the VIP at start',
        );
        await farm.kill('dira');
        await waitFor(
          () => farm.holders(),
          (h) => h.includes('dirb'),
          'dirb to take the VIP',
        );
        await waitFor(() => farm.get(), isRealName, 'a client request through dirb');
        await farm.start('dira');
        const docA = await waitFor(
          () => farm.cluster('dira'),
          (d) => d.peers[0]?.status === 'up' && d.groups[0]?.owner === 'dirb' && d.groups[0].op === null,
          'dira to see dirb up and holding the group',
        );
        assert.equal(docA.autoFailback, false);
        assert.deepEqual(await farm.holders(), ['dirb'], 'the stale address on dira was released at start');
        // Still so once dirb has heard dira's own hold message: nobody moves the group.
        await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.peers[0]?.status === 'up',
          'dirb to see dira up',
        );
        // A second of heartbeats later (ten accepted), nothing has moved.
        const seen = (await farm.cluster('dirb')).counters.accepted;
        await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.counters.accepted >= seen + 10,
          'dirb to accept ten more heartbeats',
        );
        assert.deepEqual(await farm.holders(), ['dirb']);
        assert.equal((await farm.cluster('dirb')).groups[0]?.owner, 'dirb');
      });
    });

    it('webfarm takeover on dira takes the group back; webfarm standby hands it over again', async () => {
      await withDiagnostics(farm, async () => {
        const take = farm.cli('dira', ['takeover', '--wait', '--timeout', '10']);
        assert.equal(take.code, 0, take.stderr);
        assert.match(take.stdout, /takeover accepted/);
        assert.match(take.stdout, /held by dira/);
        assert.deepEqual(await farm.holders(), ['dira']);
        await expectServedBy(farm, 'dira');

        const standby = farm.cli('dira', ['standby', '--wait', '--json']);
        assert.equal(standby.code, 0, standby.stderr);
        const doc = JSON.parse(standby.stdout) as { standby: boolean; groups: { owner: string | null }[] };
        assert.equal(doc.standby, true);
        await waitFor(
          () => farm.holders(),
          (h) => h.join() === 'dirb',
          'dirb alone to hold the VIP',
        );
        await expectServedBy(farm, 'dirb');
      });
    });

    it('standby is refused while the peer is down (nobody could take the groups)', async () => {
      await withDiagnostics(farm, async () => {
        await farm.kill('dira');
        await waitFor(
          () => farm.cluster('dirb'),
          (d) => d.peers[0]?.status === 'dead',
          'dirb to declare dira dead',
        );
        const r = farm.cli('dirb', ['standby']);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /standby refused/);
        assert.deepEqual(await farm.holders(), ['dirb']);
      });
    });
  },
);
