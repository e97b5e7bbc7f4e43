import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mediumContract } from '../../src/cluster/media/testing/medium-contract.ts';
import { openUdpUnicast } from '../../src/cluster/media/udp-unicast.ts';

/** The medium contract for UDP unicast on 127.0.0.1. */

const HOST = '127.0.0.1';

/** Ports free right now: bound on port 0, read, released. */
async function reservePorts(n: number): Promise<number[]> {
  const sockets = [];
  for (let i = 0; i < n; i++) {
    const s = createSocket('udp4');
    s.bind(0, HOST);
    await once(s, 'listening');
    sockets.push(s);
  }
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** Bind without SO_REUSEADDR: fails with EADDRINUSE while any socket still holds the port. */
async function assertPortFree(port: number): Promise<void> {
  const s = createSocket({ type: 'udp4', reuseAddr: false });
  const r = await new Promise<string>((resolve) => {
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    s.bind(port, HOST, () => resolve('ok'));
  });
  if (r === 'ok') await new Promise<void>((res) => s.close(() => res()));
  assert.equal(r, 'ok', `port ${port} still held`);
}

mediumContract('ucast 127.0.0.1', async () => {
  const [pa, pb] = (await reservePorts(2)) as [number, number];
  const local = [HOST];
  const a = await openUdpUnicast({
    bindAddress: HOST,
    port: pa,
    peers: [{ address: HOST, port: pb }],
    localAddresses: local,
  });
  const b = await openUdpUnicast({
    bindAddress: HOST,
    port: pb,
    peers: [{ address: HOST, port: pa }],
    localAddresses: local,
  });
  return {
    a,
    b,
    assertReleased: async () => {
      await assertPortFree(pa);
      await assertPortFree(pb);
    },
    dispose: async () => {
      await a.close();
      await b.close();
    },
  };
});
