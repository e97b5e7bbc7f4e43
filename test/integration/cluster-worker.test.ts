import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWebfarmError } from '../../src/model/errors.ts';
import { openUdpUnicast } from '../../src/cluster/media/udp-unicast.ts';
import { HeartbeatNode } from '../../src/cluster/node/heartbeat-node.ts';
import { HeartbeatWorker } from '../../src/cluster/node/heartbeat-worker-host.ts';
import { EventLog, is, reserveUdpPorts, TEST_KEYS } from '../../src/cluster/node/testing/event-log.ts';
import type { HeartbeatWorkerConfig } from '../../src/cluster/node/worker-protocol.ts';
import { systemClock } from '../../src/platform/clock.ts';

/**
 * The membership loop in its own worker thread: a main thread blocked for three deadtimes (what a saturated
 * proxy engine could do) must not make the peers think each other dead. The control case shows the test
 * would catch a node on the main thread: its worker peer declares it dead, and the node itself, on waking,
 * reports the stall and declares nobody dead (the stall rule).
 */

const HOST = '127.0.0.1';
const BLOCK_MS = 1500; // 3 × the default deadtime of 500 ms

function config(localNode: string, port: number, peerPort: number): HeartbeatWorkerConfig {
  return {
    localNode,
    nodes: ['alpha', 'beta'],
    keys: TEST_KEYS,
    generation: 1,
    media: [
      {
        kind: 'ucast',
        name: 'ucast lo',
        bindAddress: HOST,
        port,
        peers: [{ address: HOST, port: peerPort }],
        localAddresses: [HOST],
      },
    ],
  };
}

/** Deliberately block this thread (no timers, no I/O) for `ms`. */
function blockMainThread(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

test('worker: heartbeats go on while the main thread is blocked for 3 × deadtime', async () => {
  const [pa, pb] = (await reserveUdpPorts(2)) as [number, number];
  // Subscribe to each worker as soon as it runs: a worker's events have no buffer, and alpha sees beta
  // while beta's start is still being awaited.
  const a = await HeartbeatWorker.start(config('alpha', pa, pb));
  const la = new EventLog();
  a.on(la.push);
  const b = await HeartbeatWorker.start(config('beta', pb, pa));
  const lb = new EventLog();
  b.on(lb.push);
  try {
    await la.waitFor(is('peer-up', { peer: 'beta' }), 'alpha sees beta');
    await lb.waitFor(is('peer-up', { peer: 'alpha' }), 'beta sees alpha');
    blockMainThread(BLOCK_MS);
    // Events are ordered on each port: once the snapshots arrive, every earlier event has too.
    const [sa, sb] = await Promise.all([a.snapshot(), b.snapshot()]);
    assert.deepEqual(
      la.kinds().filter((k) => k === 'peer-dead' || k === 'stalled'),
      [],
    );
    assert.deepEqual(
      lb.kinds().filter((k) => k === 'peer-dead' || k === 'stalled'),
      [],
    );
    assert.equal(sa.peers[0]?.status, 'up');
    assert.equal(sb.peers[0]?.status, 'up');
    assert.equal(sa.status, 'active');
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('control: a node on the blocked main thread is declared dead by its worker peer, and declares nobody dead itself', async () => {
  const [pa, pb] = (await reserveUdpPorts(2)) as [number, number];
  const medium = await openUdpUnicast({
    name: 'ucast lo',
    bindAddress: HOST,
    port: pa,
    peers: [{ address: HOST, port: pb }],
    localAddresses: [HOST],
  });
  const alpha = new HeartbeatNode(
    { localNode: 'alpha', nodes: ['alpha', 'beta'], keys: TEST_KEYS, generation: 1 },
    { clock: systemClock, media: [medium] },
  );
  const la = new EventLog();
  alpha.on(la.push);
  const b = await HeartbeatWorker.start(config('beta', pb, pa));
  const lb = new EventLog();
  b.on(lb.push);
  try {
    alpha.start();
    await la.waitFor(is('peer-up', { peer: 'beta' }), 'alpha sees beta');
    await lb.waitFor(is('peer-up', { peer: 'alpha' }), 'beta sees alpha');
    blockMainThread(BLOCK_MS);
    await lb.waitFor(is('peer-dead', { peer: 'alpha', reason: 'timeout' }), 'beta declares alpha dead');
    await la.waitFor(is('stalled'), 'alpha notices its own stall');
    await lb.waitFor(is('peer-up', { peer: 'alpha', reason: 'returned' }), 'alpha back for beta');
    assert.ok(!la.kinds().includes('peer-dead'), `alpha: ${la.kinds()}`);
  } finally {
    await alpha.close();
    await b.stop();
  }
});

test('worker: a medium that cannot be opened fails the start with WF_ERR_CLUSTER_MEDIUM', async () => {
  const c: HeartbeatWorkerConfig = {
    ...config('alpha', 0, 1),
    media: [{ kind: 'bcast', device: 'wf-no-such-dev0' }],
  };
  await assert.rejects(
    HeartbeatWorker.start(c),
    (e: unknown) =>
      isWebfarmError(e) &&
      e.code === 'WF_ERR_CLUSTER_MEDIUM' &&
      /"wf-no-such-dev0" does not exist/.test(e.message),
  );
});
