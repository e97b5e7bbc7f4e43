import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import type { AuthKeys } from '../../src/cluster/auth.ts';
import type { Medium, ReceiveListener, StatusListener } from '../../src/cluster/media/medium.ts';
import { openUdpUnicast } from '../../src/cluster/media/udp-unicast.ts';
import { HeartbeatNode } from '../../src/cluster/node/heartbeat-node.ts';
import { stamp, statusMessage } from '../../src/cluster/node/outbound.ts';
import { EventLog, is, reserveUdpPorts, TEST_KEYS } from '../../src/cluster/node/testing/event-log.ts';
import { sealPacket } from '../../src/cluster/packet.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { until } from '../support/net.ts';

/**
 * Two heartbeat nodes in this process over UDP unicast on 127.0.0.1, default timing (keepalive 100 ms,
 * deadtime 500 ms), the real clock. Waits are bounded; the bounds are generous, not measurements.
 */

const HOST = '127.0.0.1';
const NODES = ['alpha', 'beta'];

/** A medium whose wire can be cut: while cut, nothing is sent or delivered. */
class Cuttable implements Medium {
  cut = false;
  readonly #inner: Medium;
  constructor(inner: Medium) {
    this.#inner = inner;
  }
  get name() {
    return this.#inner.name;
  }
  get formats() {
    return this.#inner.formats;
  }
  get status() {
    return this.#inner.status;
  }
  send(bytes: Uint8Array): void {
    if (!this.cut) this.#inner.send(bytes);
  }
  onReceive(l: ReceiveListener): () => void {
    return this.#inner.onReceive((b, f) => {
      if (!this.cut) l(b, f);
    });
  }
  onStatus(l: StatusListener): () => void {
    return this.#inner.onStatus(l);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** Link `name` between two ports: [alpha's end, beta's end]. */
async function link(name: string, pa: number, pb: number): Promise<[Cuttable, Cuttable]> {
  const local = [HOST];
  const a = await openUdpUnicast({
    name,
    bindAddress: HOST,
    port: pa,
    peers: [{ address: HOST, port: pb }],
    localAddresses: local,
  });
  const b = await openUdpUnicast({
    name,
    bindAddress: HOST,
    port: pb,
    peers: [{ address: HOST, port: pa }],
    localAddresses: local,
  });
  return [new Cuttable(a), new Cuttable(b)];
}

function node(name: string, media: Medium[], generation = 1, keys: AuthKeys = TEST_KEYS) {
  const n = new HeartbeatNode(
    { localNode: name, nodes: NODES, keys, generation },
    { clock: systemClock, media },
  );
  const log = new EventLog();
  n.on(log.push);
  return { n, log };
}

test('two nodes see each other; one stops, the other reports it dead once', async () => {
  const [pa, pb] = (await reserveUdpPorts(2)) as [number, number];
  const [la, lb] = await link('ucast lo', pa, pb);
  const a = node('alpha', [la]);
  const b = node('beta', [lb]);
  try {
    a.n.start();
    b.n.start();
    await a.log.waitFor(is('peer-up', { peer: 'beta', reason: 'first-heartbeat' }), 'alpha sees beta');
    await b.log.waitFor(is('peer-up', { peer: 'alpha' }), 'beta sees alpha');
    await until(() => a.n.snapshot().status === 'active', 'alpha active');
    await b.n.close();
    const dead = await a.log.waitFor(is('peer-dead', { peer: 'beta' }), 'alpha reports beta dead', 3000);
    assert.equal(dead.kind === 'peer-dead' && dead.reason, 'timeout');
    assert.equal(a.log.kinds('beta').filter((k) => k === 'peer-dead').length, 1);
    assert.deepEqual(
      a.n.snapshot().peers.map((p) => [p.name, p.status]),
      [['beta', 'dead']],
    );
  } finally {
    await a.n.close();
    await b.n.close();
  }
});

test('one link of two cut: link-dead on both sides, never peer-dead; restored: link-up', async () => {
  const [a1, b1, a2, b2] = (await reserveUdpPorts(4)) as [number, number, number, number];
  const [l1a, l1b] = await link('ucast one', a1, b1);
  const [l2a, l2b] = await link('ucast two', a2, b2);
  const a = node('alpha', [l1a, l2a]);
  const b = node('beta', [l1b, l2b]);
  try {
    a.n.start();
    b.n.start();
    for (const l of ['ucast one', 'ucast two']) {
      await a.log.waitFor(is('link-up', { peer: 'beta', link: l }), `alpha: ${l} up`);
      await b.log.waitFor(is('link-up', { peer: 'alpha', link: l }), `beta: ${l} up`);
    }
    l2a.cut = true;
    l2b.cut = true;
    await a.log.waitFor(is('link-dead', { peer: 'beta', link: 'ucast two' }), 'alpha: link two dead', 3000);
    await b.log.waitFor(is('link-dead', { peer: 'alpha', link: 'ucast two' }), 'beta: link two dead', 3000);
    // Keep going for a while on link one: twenty more accepted heartbeats (about 2 s).
    const base = a.n.snapshot().counters.accepted;
    await until(() => a.n.snapshot().counters.accepted >= base + 20, 'more heartbeats on link one', 10_000);
    assert.ok(!a.log.kinds().includes('peer-dead'), `alpha: ${a.log.kinds()}`);
    assert.ok(!b.log.kinds().includes('peer-dead'), `beta: ${b.log.kinds()}`);
    l2a.cut = false;
    l2b.cut = false;
    const n = a.log.events.length;
    await a.log.waitFor(
      (e) => a.log.events.indexOf(e) >= n && is('link-up', { link: 'ucast two' })(e),
      'link two back',
    );
  } finally {
    await a.n.close();
    await b.n.close();
  }
});

test('forged, unknown-node and garbage packets are rejected with reasons, counted, and change nothing', async () => {
  const [pa, pb] = (await reserveUdpPorts(2)) as [number, number];
  const [la, lb] = await link('ucast lo', pa, pb);
  const a = node('alpha', [la]);
  try {
    a.n.start();
    const wrongKey: AuthKeys = { sendId: 1, keys: new Map([[1, { id: 1, method: 'sha256', key: 'guess' }]]) };
    const ctx = { generation: 1, wallNow: Date.now(), ttl: 3, load: '0.00' };
    const seal = (src: string, keys: AuthKeys) => {
      const r = sealPacket(stamp(statusMessage('up', 500), 1, { ...ctx, src }), 'netstring', keys);
      assert.ok(r.ok);
      return r.bytes;
    };
    const raw = createSocket('udp4');
    const packets: [string, Uint8Array][] = [
      ['bad-digest', seal('beta', wrongKey)],
      ['unknown-node', seal('mallory', TEST_KEYS)],
      ['malformed', new Uint8Array([0, 1, 2, 3, 255])],
    ];
    for (const [reason, bytes] of packets) {
      raw.send(bytes, pa, HOST);
      const e = await a.log.waitFor(is('rejected', { reason }), `rejected ${reason}`);
      assert.match(e.kind === 'rejected' ? e.sender : '', /^127\.0\.0\.1:\d+$/);
    }
    await new Promise<void>((r) => raw.close(() => r()));
    const s = a.n.snapshot();
    assert.equal(s.counters['bad-digest'], 1);
    assert.equal(s.counters['unknown-node'], 1);
    assert.equal(s.counters.malformed, 1);
    assert.equal(s.peers.find((p) => p.name === 'beta')?.status, 'init');
    assert.ok(!a.log.kinds().includes('peer-up'));
  } finally {
    await a.n.close();
    await lb.close();
  }
});

test('a peer restarting with a higher generation is reported as peer-restarted', async () => {
  const [pa, pb] = (await reserveUdpPorts(2)) as [number, number];
  const [la, lb] = await link('ucast lo', pa, pb);
  const a = node('alpha', [la]);
  const b1 = node('beta', [lb], 7);
  let b2: ReturnType<typeof node> | undefined;
  try {
    a.n.start();
    b1.n.start();
    await a.log.waitFor(is('peer-up', { peer: 'beta' }), 'alpha sees beta');
    await b1.n.close();
    const lb2 = await openUdpUnicast({
      name: 'ucast lo',
      bindAddress: HOST,
      port: pb,
      peers: [{ address: HOST, port: pa }],
      localAddresses: [HOST],
    });
    b2 = node('beta', [lb2], 8);
    b2.n.start();
    const e = await a.log.waitFor(is('peer-restarted', { peer: 'beta' }), 'restart seen');
    assert.deepEqual(e.kind === 'peer-restarted' && [e.fromGeneration, e.toGeneration], [7, 8]);
  } finally {
    await a.n.close();
    await b1.n.close();
    await b2?.n.close();
  }
});
