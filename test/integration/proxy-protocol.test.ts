import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import { realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, collect, within } from '../support/net.ts';
import { recordingServer } from '../support/servers.ts';

const SIG = '0d0a0d0a000d0a515549540a';
const hex16 = (n: number) => n.toString(16).padStart(4, '0');

/** Connect to the service, send `payload` at once (before the proxy reaches the real server), end. */
async function sendThrough(port: number, payload: string, host = LOOPBACK): Promise<number> {
  const c = connect({ port, host, allowHalfOpen: true });
  const done = collect(c);
  await within(once(c, 'connect'), 'client connect');
  const clientPort = c.localPort!;
  c.end(payload);
  await within(done, 'the exchange to finish');
  return clientPort;
}

test('PROXY v1: the real server receives the header, then the client bytes, byte-exact', async () => {
  const received: Buffer[] = [];
  const server = await recordingServer(received);
  const farm = await startProxyFarm({ reals: [realAt(server.port)], service: { proxyProtocol: 'v1' } });
  try {
    const clientPort = await sendThrough(farm.port, 'GET / HTTP/1.0\r\n\r\n');
    assert.equal(received.length, 1);
    assert.equal(
      received[0]!.toString('latin1'),
      `PROXY TCP4 127.0.0.1 127.0.0.1 ${clientPort} ${farm.port}\r\nGET / HTTP/1.0\r\n\r\n`,
    );
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('PROXY v2: the real server receives the binary header, then the client bytes, byte-exact', async () => {
  const received: Buffer[] = [];
  const server = await recordingServer(received);
  const farm = await startProxyFarm({ reals: [realAt(server.port)], service: { proxyProtocol: 'v2' } });
  try {
    const clientPort = await sendThrough(farm.port, 'hello');
    const header = `${SIG}2111000c7f0000017f000001${hex16(clientPort)}${hex16(farm.port)}`;
    assert.equal(received[0]!.toString('hex'), header + Buffer.from('hello').toString('hex'));
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('PROXY v2 over IPv6: TCP6 header with ::1 on both ends', async () => {
  const received: Buffer[] = [];
  const server = await recordingServer(received, '::1');
  const farm = await startProxyFarm({
    reals: [realAt(server.port, { address: '::1' })],
    service: { proxyProtocol: 'v2', address: '::1' },
  });
  try {
    const clientPort = await sendThrough(farm.port, '', '::1');
    const one = `${'0'.repeat(31)}1`;
    assert.equal(
      received[0]!.toString('hex'),
      `${SIG}21210024${one}${one}${hex16(clientPort)}${hex16(farm.port)}`,
      'a client that sends nothing still gets its header sent',
    );
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('PROXY off: the real server receives exactly the client bytes', async () => {
  const received: Buffer[] = [];
  const server = await recordingServer(received);
  const farm = await startProxyFarm({ reals: [realAt(server.port)] });
  try {
    await sendThrough(farm.port, 'plain');
    assert.equal(received[0]!.toString(), 'plain');
  } finally {
    await farm.stop();
    await server.close();
  }
});
