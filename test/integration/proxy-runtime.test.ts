import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Director } from '../../src/director/director.ts';
import { addServiceChecked } from '../../src/engines/engine.ts';
import { createProxyEngine } from '../../src/engines/proxy/proxy-engine.ts';
import { isWebfarmError } from '../../src/model/errors.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { realAt, serviceAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, freePort, hold, request, until, within } from '../support/net.ts';
import { echoServer, holdServer, nameServers } from '../support/servers.ts';
import { udpClient, udpEchoServer } from '../support/udp.ts';

/** Occupy a port (another program) for the length of a test. */
async function occupy(): Promise<{ port: number; close(): Promise<void> }> {
  const s = createServer();
  s.listen(0, LOOPBACK);
  await once(s, 'listening');
  return {
    port: (s.address() as { port: number }).port,
    close: () => new Promise((r) => s.close(() => r())),
  };
}

/** True when the port can be bound right now (nothing stays bound on it). */
async function bindable(port: number): Promise<boolean> {
  const s = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, LOOPBACK, () => resolve(true));
  });
  if (ok) await new Promise((r) => s.close(r));
  return ok;
}

test('runtime changes: services and real servers come and go while a long connection streams', async () => {
  const first = await holdServer('first');
  const [x, y] = await nameServers(['x', 'y']);
  const farm = await startProxyFarm({ reals: [realAt(first.port)] });
  const { director, svc } = farm;
  try {
    const h = await hold(farm.port);
    assert.equal(h.hello, 'first');
    const otherPort = await freePort();
    const changes: (() => Promise<void> | void)[] = [
      () => void director.addReal(svc.id, realAt(x!.port)),
      async () => {
        director.addService(serviceAt(otherPort), [realAt(y!.port)]);
        await farm.engine.serviceReady(`tcp:${LOOPBACK}:${otherPort}`);
        assert.equal((await request(otherPort)).data.toString(), 'y');
      },
      async () => assert.equal((await request(farm.port)).data.toString(), 'x'),
      () => void director.editReal(svc.id, `${LOOPBACK}:${first.port}`, { weight: 5 }),
      () => void director.removeService(`tcp:${LOOPBACK}:${otherPort}`),
      // Even the real server this connection uses may leave the table: the connection runs to its end.
      () => void director.removeReal(svc.id, `${LOOPBACK}:${first.port}`),
      async () => assert.equal((await request(farm.port)).data.toString(), 'x'),
    ];
    let sent = 0;
    for (let round = 0; round < 70; round++) {
      const text = `round ${round} ${'.'.repeat(round * 37)}`;
      assert.equal(await h.roundTrip(text), text);
      sent += text.length;
      if (round % 10 === 5) await changes[(round - 5) / 10]!();
    }
    const conn = [...svc.connections].find((c) => c.dest.port === first.port)!;
    assert.equal(conn.state, 'established');
    assert.equal(conn.dest.stats.inBytes, sent);
    await h.end();
    await until(() => svc.connections.size === 0, 'the long connection to close');
    assert.equal(conn.dest.activeConns + conn.dest.inactConns, 0);
  } finally {
    await farm.stop();
    await Promise.all([first.close(), x!.close(), y!.close()]);
  }
});

test('start(): a port in use rejects with WF_ERR_ENGINE_LISTEN and leaves nothing bound', async () => {
  const busy = await occupy();
  const freeOne = await freePort();
  const director = new Director(systemClock);
  director.addService(serviceAt(freeOne), [realAt(1)]);
  director.addService(serviceAt(busy.port), [realAt(1)]);
  const engine = createProxyEngine(director);
  try {
    await assert.rejects(engine.start(), (e: unknown) => {
      assert.ok(isWebfarmError(e));
      assert.equal(e.code, 'WF_ERR_ENGINE_LISTEN');
      assert.match(e.message, new RegExp(`tcp:127\\.0\\.0\\.1:${busy.port}: cannot listen: .*EADDRINUSE`));
      return true;
    });
    assert.equal(engine.snapshot().listening, 0);
    assert.ok(await bindable(freeOne), 'the service that did bind was closed again');
    // The engine did not stay subscribed: a service added now opens nothing.
    const late = await freePort();
    director.addService(serviceAt(late), [realAt(1)]);
    assert.equal(engine.snapshot().listening, 0);
  } finally {
    await engine.stop();
    await busy.close();
  }
});

test('start(): a port-0 (all ports) service is refused as unsupported', async () => {
  const director = new Director(systemClock);
  director.addService(serviceAt(0, { persistence: { timeoutMs: 1000, prefix: 32 } }), [realAt(1)]);
  const engine = createProxyEngine(director);
  await assert.rejects(engine.start(), { code: 'WF_ERR_ENGINE_UNSUPPORTED' });
  await engine.stop();
});

test('run time: a listener failure goes to onError, or to the caller of addServiceChecked', async () => {
  const busy = await occupy();
  const echo = await echoServer();
  const errors: Error[] = [];
  const farm = await startProxyFarm({
    reals: [realAt(echo.port)],
    engine: { onError: (e) => errors.push(e) },
  });
  const { director, engine } = farm;
  try {
    // Event-driven: the service stays in the director, the failure is reported.
    director.addService(serviceAt(busy.port), [realAt(echo.port)]);
    await until(() => errors.length === 1, 'onError');
    assert.equal((errors[0] as { code?: string }).code, 'WF_ERR_ENGINE_LISTEN');
    director.removeService(`tcp:${LOOPBACK}:${busy.port}`);

    // Checked: the caller gets the error, the service is gone again, onError is not called.
    await assert.rejects(addServiceChecked(director, engine, serviceAt(busy.port), [realAt(echo.port)]), {
      code: 'WF_ERR_ENGINE_LISTEN',
    });
    assert.equal(director.services.has(`tcp:${LOOPBACK}:${busy.port}`), false);
    assert.equal(errors.length, 1);

    // Checked and fine: bound by the time it resolves.
    const port = await freePort();
    const svc = await addServiceChecked(director, engine, serviceAt(port), [realAt(echo.port)]);
    assert.equal((await request(port, 'up')).data.toString(), 'up');
    assert.equal(svc.stats.conns, 1);
    // The other service was never disturbed.
    assert.equal((await request(farm.port, 'still')).data.toString(), 'still');
  } finally {
    await farm.stop();
    await busy.close();
    await echo.close();
  }
});

test('service removal closes the listener; accepted TCP connections finish', async () => {
  const server = await holdServer('s');
  const farm = await startProxyFarm({ reals: [realAt(server.port)] });
  try {
    const h = await hold(farm.port);
    farm.director.removeService(farm.svc.id);
    assert.equal((await request(farm.port)).error, 'ECONNREFUSED');
    assert.equal(await h.roundTrip('after removal'), 'after removal');
    await h.end();
    await until(() => farm.svc.connections.size === 0, 'the connection to end');
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('UDP service removal closes its flows (the service socket was their way back)', async () => {
  const echo = await udpEchoServer();
  const farm = await startProxyFarm({ reals: [realAt(echo.port)], service: { protocol: 'udp' } });
  const client = await udpClient();
  try {
    assert.equal(await client.ask('hi', farm.port), 'hi');
    assert.equal(farm.svc.connections.size, 1);
    farm.director.removeService(farm.svc.id);
    await until(() => farm.svc.connections.size === 0, 'flows of the removed service to close');
    assert.equal(farm.svc.dests[0]!.inactConns, 0);
  } finally {
    await client.close();
    await farm.stop();
    await echo.close();
  }
});

test('stop(): every session is destroyed, gauges are back to 0, the port is free', async () => {
  const server = await holdServer('s');
  const farm = await startProxyFarm({ reals: [realAt(server.port)] });
  const h = await Promise.all([hold(farm.port), hold(farm.port), hold(farm.port)]);
  assert.equal(farm.svc.dests[0]!.activeConns, 3);
  await within(farm.stop(), 'stop');
  assert.equal(farm.svc.connections.size, 0);
  assert.equal(farm.svc.dests[0]!.activeConns, 0);
  assert.equal(farm.engine.snapshot().tracked, 0);
  assert.ok(await bindable(farm.port));
  for (const x of h) x.socket.destroy();
  await server.close();
});
