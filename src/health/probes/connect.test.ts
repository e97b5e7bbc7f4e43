import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import type { ProbeTarget } from '../probe.ts';
import { connectProbe } from './connect.ts';
import { noneProbe } from './none.ts';
import { offProbe } from './off.ts';
import { onProbe } from './on.ts';

function target(port: number): ProbeTarget {
  return { protocol: 'tcp', address: '127.0.0.1', port, virtualAddress: '127.0.0.1', virtualPort: 80 };
}

async function listen(onConn: (s: import('node:net').Socket) => void = () => {}): Promise<Server> {
  const srv = createServer(onConn);
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return srv;
}

const portOf = (s: Server) => (s.address() as { port: number }).port;
const never = () => new AbortController().signal;

test('connect: up when the handshake completes, even if the peer closes at once', async () => {
  const srv = await listen((s) => s.destroy());
  try {
    const r = await connectProbe.create().run(target(portOf(srv)), {}, never());
    assert.deepEqual(r, { ok: true, detail: 'connected' });
  } finally {
    srv.close();
  }
});

test('connect: down when refused', async () => {
  const srv = await listen();
  const port = portOf(srv);
  await new Promise((r) => srv.close(r));
  const r = await connectProbe.create().run(target(port), {}, never());
  assert.deepEqual(r, { ok: false, reason: 'connect: ECONNREFUSED' });
});

test('connect: gives up as soon as the signal aborts', async () => {
  const srv = await listen();
  try {
    const ac = new AbortController();
    const p = connectProbe.create().run(target(portOf(srv)), {}, ac.signal);
    ac.abort();
    assert.deepEqual(await p, { ok: false, reason: 'connect timed out' });
    const pre = await connectProbe.create().run(target(portOf(srv)), {}, AbortSignal.abort());
    assert.equal(pre.ok, false);
  } finally {
    srv.close();
  }
});

test('connect: validate rejects UDP services and settings it does not use', () => {
  assert.deepEqual(connectProbe.validate({}, { protocol: 'tcp' }), []);
  assert.deepEqual(connectProbe.validate({ request: '/', verifyTls: true }, { protocol: 'udp' }), [
    'request: connect checks do not use it',
    'verify_tls: connect checks do not use it',
    'type: connect checks TCP only; use type udp (send/expect) for a UDP service',
  ]);
});

test('on / none / off: always up without traffic; reject settings', async () => {
  for (const f of [onProbe, noneProbe, offProbe]) {
    const r = await f.create().run(target(1), {}, never());
    assert.equal(r.ok, true, f.type);
    assert.deepEqual(f.validate({ receive: 'x' }, { protocol: 'tcp' }), [
      `receive: ${f.type} checks do not use it`,
    ]);
  }
});
