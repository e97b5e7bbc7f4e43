import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import type { RealServer } from '../../src/director/real-server.ts';
import type { PassiveHealthSpec } from '../../src/director/virtual-service.ts';
import type { ProxyEngineEvent } from '../../src/engines/proxy/proxy-engine.ts';
import { FakeClock } from '../../src/platform/fake-clock.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, freePort, hold, request, until, within } from '../support/net.ts';
import { type TestServer, holdServer, nameServers, startServer } from '../support/servers.ts';

/**
 * Passive health through real sockets (docs/passive-health.md). The engine runs on a FakeClock, so the
 * back-off ends exactly when the test advances it; refusals from a closed loopback port are immediate.
 */
const PASSIVE: PassiveHealthSpec = {
  consecutiveFailures: 3,
  baseEjectionMs: 10_000,
  maxEjectionMs: 60_000,
  maxEjectionPercent: 50,
};
const CONNECT = { timeoutMs: 2000, retries: 2, redispatch: true };

interface Setup {
  readonly farm: ProxyFarm;
  readonly clock: FakeClock;
  readonly events: ProxyEngineEvent[];
  real(port: number): RealServer;
}

async function farmWith(ports: number[], passive = PASSIVE): Promise<Setup> {
  const clock = new FakeClock();
  const events: ProxyEngineEvent[] = [];
  const farm = await startProxyFarm({
    reals: ports.map((p) => realAt(p)),
    service: { connect: CONNECT, passive },
    engine: { clock, onEvent: (e) => events.push(e) },
  });
  return { farm, clock, events, real: (p) => farm.svc.findReal(`${LOOPBACK}:${p}`)! };
}

/** Send requests one after another until `cond` holds; every one must be answered by a live server. */
async function requestUntil(s: Setup, live: Set<string>, cond: () => boolean, what: string): Promise<number> {
  for (let n = 1; n <= 40; n++) {
    const r = await request(s.farm.port, 'hi');
    const name = r.data.toString().replace(/hi$/, ''); // holdServer echoes after its name
    assert.ok(live.has(name), `answer ${JSON.stringify(r.data.toString())} (${r.error})`);
    if (cond()) return n;
  }
  throw new Error(`no ${what} after 40 requests`);
}

/** Send 'x'; if an answer comes, send 'y'; resolve with the error the connection ended with, if any. */
async function twoStep(port: number): Promise<string | undefined> {
  const c = connect({ port, host: LOOPBACK });
  c.once('data', () => c.write('y'));
  c.write('x');
  const [err] = await within(
    Promise.race([
      once(c, 'error') as Promise<[NodeJS.ErrnoException]>,
      once(c, 'end').then(() => [undefined] as const),
    ]),
    'the connection to end',
  );
  c.destroy();
  return err?.code;
}

async function closeAll(s: Setup, servers: TestServer[]): Promise<void> {
  await s.farm.stop();
  await Promise.all(servers.map((x) => x.close()));
}

test('passive health: a refusing server is ejected, gets no attempts while out, and returns after the back-off', async () => {
  const servers = await nameServers(['a', 'b']);
  const deadPort = await freePort();
  const s = await farmWith([deadPort, ...servers.map((x) => x.port)]);
  const dead = s.real(deadPort);
  const live = new Set(['a', 'b']);
  try {
    await requestUntil(s, live, () => dead.passive === 'ejected', 'ejection');
    assert.equal(dead.connectFailures, 3);
    assert.equal(s.farm.engine.snapshot().ejected, 1);
    assert.deepEqual(s.events, [
      {
        event: 'passive-ejected',
        service: s.farm.svc.id,
        real: dead.id,
        reason: 'connect-refused',
        failures: 3,
        timesEjected: 1,
        durationMs: 10_000,
      },
    ]);
    // While ejected: every request goes straight to a live server, none is tried on the dead one.
    const before = s.farm.svc.stats.conns;
    for (let i = 0; i < 9; i++) assert.ok(live.has((await request(s.farm.port, 'x')).data.toString()));
    assert.equal(dead.connectFailures, 3);
    assert.equal(s.farm.svc.stats.conns - before, 9, 'one attempt per request');
    assert.equal(s.farm.svc.refused, 0);

    s.clock.advance(9_999);
    assert.equal(dead.passive, 'ejected');
    s.clock.advance(1);
    assert.equal(dead.passive, 'ok');
    assert.equal(s.events.at(-1)?.event, 'passive-returned');
    // Back in scheduling: it is tried again, fails again, and the second ejection lasts twice as long.
    await requestUntil(s, live, () => dead.passive === 'ejected', 'second ejection');
    assert.equal(dead.connectFailures, 6);
    const last = s.events.at(-1);
    assert.ok(last?.event === 'passive-ejected');
    assert.equal(last.durationMs, 20_000);
    assert.equal(last.timesEjected, 2);
  } finally {
    await closeAll(s, servers);
  }
});

test('passive health: the cap — with 2 of 3 refusing and max 50 %, only one is ejected', async () => {
  const servers = await nameServers(['ok']);
  const deadPorts = [await freePort(), await freePort()];
  const s = await farmWith([...deadPorts, servers[0]!.port]);
  const dead = deadPorts.map((p) => s.real(p));
  try {
    const failures = () => dead.reduce((n, d) => n + d.connectFailures, 0);
    await requestUntil(s, new Set(['ok']), () => failures() >= 9, 'six failures after the ejection');
    assert.deepEqual(dead.map((d) => d.passive).sort(), ['ejected', 'ok']);
    assert.equal(s.farm.engine.snapshot().ejected, 1);
    assert.deepEqual(
      s.events.map((e) => e.event),
      ['passive-ejected', 'passive-eject-capped'],
    );
    const capped = s.events[1];
    assert.ok(capped?.event === 'passive-eject-capped');
    assert.deepEqual([capped.ejected, capped.total, capped.maxEjectionPercent], [1, 3, 50]);
    assert.equal(s.farm.svc.refused, 0);
  } finally {
    await closeAll(s, servers);
  }
});

test('passive health: resets before any answer eject; resets after an answer are counted only', async () => {
  const [ok] = await nameServers(['ok']);
  // Both read the request first (so the proxy has connected). One resets at once; the other answers,
  // then resets when the client speaks again (a reset right behind unread data can look like a FIN).
  const resetter = await startServer((c) => c.once('data', () => c.resetAndDestroy()));
  const lateResetter = await startServer((c) => {
    c.once('data', () => {
      c.write('late');
      c.once('data', () => c.resetAndDestroy());
    });
  });
  const s = await farmWith([resetter.port, lateResetter.port, ok!.port], {
    ...PASSIVE,
    maxEjectionPercent: 100,
  });
  const early = s.real(resetter.port);
  const late = s.real(lateResetter.port);
  try {
    for (let i = 0; i < 12; i++) await twoStep(s.farm.port);
    assert.equal(early.passive, 'ejected');
    assert.equal(early.resets, 3);
    assert.equal(early.connectFailures, 0);
    assert.equal(late.passive, 'ok');
    assert.ok(late.resets >= 3, `late resets ${late.resets}`);
    const ejected = s.events.filter((e) => e.event === 'passive-ejected');
    assert.deepEqual(
      ejected.map((e) => [e.real, e.reason]),
      [[early.id, 'reset']],
    );
  } finally {
    await closeAll(s, [ok!, resetter, lateResetter]);
  }
});

test('passive health: connections already open to an ejected server keep working', async () => {
  const servers = await Promise.all(['h', 'b', 'c'].map((n) => holdServer(n)));
  const s = await farmWith(servers.map((x) => x.port));
  const h = servers[0]!;
  const held = [];
  try {
    // rr: three connections land one on each server.
    for (let i = 0; i < 3; i++) held.push(await hold(s.farm.port));
    const onH = held.find((x) => x.hello === 'h');
    assert.ok(onH, 'a connection on h');
    // h stops accepting; its open connection stays.
    h.server.close();
    const real = s.real(h.port);
    await requestUntil(s, new Set(['b', 'c']), () => real.passive === 'ejected', 'ejection of h');
    assert.equal(await onH.roundTrip('still there?'), 'still there?');
    assert.equal(real.activeConns, 1);
    for (const x of held) await x.end();
    await until(() => real.activeConns === 0, 'the held connection to end');
  } finally {
    await closeAll(s, servers);
  }
});
