import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { isWebfarmError } from '../../src/model/errors.ts';
import { realAt, serviceAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, freePort, hold } from '../support/net.ts';
import { holdServer } from '../support/servers.ts';

/**
 * The proxy engine's activation (ProxyEngineOptions.active, activate/deactivate): what the cluster's
 * services resource drives (docs/cluster.md "Running a cluster"). A passive engine binds nothing; activate
 * binds every service, all or nothing; deactivate closes the listeners while accepted sessions run on.
 */

async function bindable(port: number): Promise<boolean> {
  const s = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, LOOPBACK, () => resolve(true));
  });
  if (ok) await new Promise((r) => s.close(r));
  return ok;
}

/** The greeting of one connection through the proxy (then closed). */
async function greet(port: number): Promise<string> {
  const h = await hold(port);
  h.socket.destroy();
  return h.hello;
}

test('a passive engine binds nothing until activate; deactivate closes listeners, sessions run on', async () => {
  const x = await holdServer('x');
  const farm = await startProxyFarm({ reals: [realAt(x.port)], engine: { active: false } });
  try {
    assert.equal(farm.engine.active, false);
    assert.equal(farm.engine.snapshot().listening, 0);
    assert.equal(await bindable(farm.port), true, 'a passive engine holds no port');

    // A service added while passive is not bound either.
    const other = await freePort();
    farm.director.addService(serviceAt(other), [realAt(x.port)]);
    await farm.engine.serviceReady(`tcp:${LOOPBACK}:${other}`);
    assert.equal(farm.engine.snapshot().listening, 0);

    await farm.engine.activate();
    await farm.engine.activate();
    assert.equal(farm.engine.active, true);
    assert.equal(farm.engine.snapshot().listening, 2);
    assert.equal(await greet(farm.port), 'x');
    assert.equal(await greet(other), 'x');

    const held = await hold(farm.port);
    await farm.engine.deactivate();
    await farm.engine.deactivate();
    assert.equal(farm.engine.active, false);
    assert.equal(farm.engine.snapshot().listening, 0);
    assert.equal(await bindable(farm.port), true, 'deactivate released the port');
    assert.equal(await bindable(other), true);
    assert.equal(await held.roundTrip('still here'), 'still here', 'an accepted session runs on');
    await held.end();

    await farm.engine.activate();
    assert.equal(await greet(farm.port), 'x');
  } finally {
    await farm.stop();
    await x.close();
  }
});

test('activate is all or nothing: a port in use leaves the engine passive with nothing bound', async () => {
  const x = await holdServer('x');
  const farm = await startProxyFarm({ reals: [realAt(x.port)], engine: { active: false } });
  const taken = createServer();
  const busy = await freePort();
  await new Promise<void>((r) => taken.listen(busy, LOOPBACK, () => r()));
  try {
    farm.director.addService(serviceAt(busy), [realAt(x.port)]);
    await assert.rejects(
      farm.engine.activate(),
      (e) => isWebfarmError(e) && e.code === 'WF_ERR_ENGINE_LISTEN',
    );
    assert.equal(farm.engine.active, false);
    assert.equal(farm.engine.snapshot().listening, 0);
    assert.equal(await bindable(farm.port), true, 'the service that did bind was closed again');
  } finally {
    await new Promise((r) => taken.close(r));
    await farm.stop();
    await x.close();
  }
});
