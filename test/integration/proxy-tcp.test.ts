import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, closed, collect, connectTcp, freePort, request, until, within } from '../support/net.ts';
import { echoServer, nameServers, startServer } from '../support/servers.ts';

/** After every test: nothing left in the director's table, gauges at 0, no session in the engine. */
async function assertDrained(farm: ProxyFarm): Promise<void> {
  const { svc, engine } = farm;
  await until(() => svc.connections.size === 0 && engine.snapshot().tracked === 0, 'all sessions to end');
  for (const d of svc.dests) {
    assert.equal(d.activeConns, 0, `${d.id} activeConns`);
    assert.equal(d.inactConns, 0, `${d.id} inactConns`);
  }
}

test('proxy tcp: round trip through one real server, counted both ways', async () => {
  const echo = await echoServer();
  const farm = await startProxyFarm({ reals: [realAt(echo.port)] });
  try {
    const r = await request(farm.port, 'hello, world');
    assert.equal(r.data.toString(), 'hello, world');
    assert.equal(r.error, undefined);
    await assertDrained(farm);
    const d = farm.svc.dests[0]!;
    assert.equal(farm.svc.stats.conns, 1);
    assert.equal(d.stats.inBytes, 12);
    assert.equal(d.stats.outBytes, 12);
    assert.equal(farm.svc.stats.inBytes, 12);
    assert.equal(farm.svc.refused, 0);
  } finally {
    await farm.stop();
    await echo.close();
  }
});

test('proxy tcp over IPv6: client, service and real server on ::1, the client address kept as IPv6', async () => {
  const echo = await echoServer('::1');
  const farm = await startProxyFarm({
    reals: [realAt(echo.port, { address: '::1' })],
    service: { address: '::1' },
  });
  try {
    const held = await connectTcp(farm.port, '::1');
    await until(() => farm.svc.connections.size === 1, 'the connection in the table');
    const [conn] = farm.svc.connections;
    assert.equal(conn?.clientAddress, '::1');
    held.destroy();
    const r = await request(farm.port, 'hello over v6', '::1');
    assert.equal(r.data.toString(), 'hello over v6');
    assert.equal(r.error, undefined);
    await assertDrained(farm);
    assert.equal(farm.svc.dests[0]!.stats.conns, 2);
  } finally {
    await farm.stop();
    await echo.close();
  }
});

test('proxy tcp: rr spreads connections evenly over 3 real servers', async () => {
  const servers = await nameServers(['a', 'b', 'c']);
  const farm = await startProxyFarm({ reals: servers.map((s) => realAt(s.port)) });
  try {
    const seen = new Map<string, number>();
    for (let i = 0; i < 9; i++) {
      const name = (await request(farm.port)).data.toString();
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries([...seen].sort()), { a: 3, b: 3, c: 3 });
    await assertDrained(farm);
    for (const d of farm.svc.dests) assert.equal(d.stats.conns, 3);
  } finally {
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('proxy tcp: half-close — client ends, server still answers, then closes', async () => {
  const observed: string[] = [];
  let farm: ProxyFarm | undefined;
  const server = await startServer((s) => {
    const got: Buffer[] = [];
    s.on('data', (c: Buffer) => got.push(c));
    s.on('end', () => {
      // The client's FIN went through the proxy: the entry is inactive (FIN_WAIT) now.
      const c = [...(farm?.svc.connections ?? [])][0];
      observed.push(`state=${c?.state} active=${c?.dest.activeConns} inact=${c?.dest.inactConns}`);
      s.write('got ');
      s.write(Buffer.concat(got));
      s.end(' bye');
    });
  });
  farm = await startProxyFarm({ reals: [realAt(server.port)] });
  try {
    const r = await request(farm.port, 'question');
    assert.equal(r.data.toString(), 'got question bye');
    assert.equal(r.error, undefined);
    assert.deepEqual(observed, ['state=closing active=0 inact=1']);
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('proxy tcp: backpressure — a slow reader keeps the proxy buffers bounded', async () => {
  const TOTAL = 16 * 1024 * 1024;
  const CHUNK = 64 * 1024;
  const server = await startServer((s) => {
    let sent = 0;
    const block = Buffer.alloc(CHUNK, 0x61);
    const pump = () => {
      while (sent < TOTAL) {
        sent += CHUNK;
        if (!s.write(block)) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
  });
  const farm = await startProxyFarm({ reals: [realAt(server.port)] });
  try {
    const client = await connectTcp(farm.port);
    client.pause();
    let received = 0;
    let maxBuffered = 0;
    // The reader takes what is buffered once per timer turn: much slower than loopback delivers.
    const slowRead = setInterval(() => {
      maxBuffered = Math.max(maxBuffered, farm.engine.snapshot().bufferedBytes);
      const c = client.read() as Buffer | null;
      if (c) received += c.length;
    }, 1);
    try {
      await until(() => received >= TOTAL, 'all bytes through the slow reader', 60_000);
    } finally {
      clearInterval(slowRead);
    }
    assert.equal(received, TOTAL);
    assert.ok(maxBuffered < 512 * 1024, `proxy buffered at most ${maxBuffered} bytes`);
    assert.equal(farm.svc.stats.outBytes, TOTAL);
    client.destroy();
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('proxy tcp: real server dying mid-stream resets the client, nothing leaks', async () => {
  const server = await startServer((s) => {
    s.write('partial ');
    s.once('data', () => s.resetAndDestroy());
  });
  const farm = await startProxyFarm({ reals: [realAt(server.port)] });
  try {
    const client = connect({ port: farm.port, host: LOOPBACK, allowHalfOpen: true });
    const result = collect(client);
    await within(once(client, 'data'), 'first bytes');
    client.write('more');
    const r = await within(result, 'client close');
    assert.equal(r.error, 'ECONNRESET');
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('proxy tcp: many abrupt closes on either side leave no connection and zero gauges', async () => {
  let n = 0;
  const server = await startServer((s) => {
    const mode = n++ % 3;
    s.on('data', () => {
      if (mode === 0) s.resetAndDestroy();
      else if (mode === 1) s.destroy();
      else s.write('x');
    });
    s.on('end', () => s.end());
  });
  const farm = await startProxyFarm({ reals: [realAt(server.port)] });
  try {
    const clients = await Promise.all(Array.from({ length: 60 }, () => connectTcp(farm.port)));
    await until(() => server.accepted === 60, 'every session to reach the real server');
    await Promise.all(
      clients.map(async (c, i) => {
        c.on('error', () => {});
        c.write('hello');
        if (i % 2 === 0) c.resetAndDestroy();
        else setImmediate(() => c.destroy());
        await closed(c);
      }),
    );
    await assertDrained(farm);
    assert.equal(farm.svc.stats.conns, 60);
  } finally {
    await farm.stop();
    await server.close();
  }
});

test('proxy tcp: no usable real server — the client is reset at once, refused +1', async () => {
  const servers = await nameServers(['a']);
  const farm = await startProxyFarm({ reals: [realAt(servers[0]!.port, { weight: 0 })] });
  try {
    const r = await request(farm.port, 'anyone?');
    assert.equal(r.data.length, 0);
    assert.equal(r.error, 'ECONNRESET');
    assert.equal(farm.svc.refused, 1);
    assert.equal(servers[0]!.accepted, 0);
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await servers[0]!.close();
  }
});

test('proxy tcp: connect refused → redispatched to another server and counted', async () => {
  const [ok] = await nameServers(['ok']);
  const deadPort = await freePort();
  const farm = await startProxyFarm({
    reals: [realAt(deadPort), realAt(ok!.port)],
    service: { connect: { timeoutMs: 2000, retries: 2, redispatch: true } },
  });
  try {
    for (let i = 0; i < 4; i++) assert.equal((await request(farm.port)).data.toString(), 'ok');
    const dead = farm.svc.findReal(`${LOOPBACK}:${deadPort}`)!;
    const live = farm.svc.findReal(`${LOOPBACK}:${ok!.port}`)!;
    assert.ok(dead.connectFailures >= 1, `dead server failures ${dead.connectFailures}`);
    assert.equal(live.connectFailures, 0);
    assert.equal(farm.svc.refused, 0);
    // One Connection per attempt: the failed attempts are in the totals too.
    assert.equal(farm.svc.stats.conns, 4 + dead.connectFailures);
    assert.equal(live.stats.conns, 4);
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await ok!.close();
  }
});

test('proxy tcp: without redispatch the same server is retried, then the client is reset', async () => {
  const deadPort = await freePort();
  const farm = await startProxyFarm({
    reals: [realAt(deadPort)],
    service: { connect: { timeoutMs: 2000, retries: 2, redispatch: false } },
  });
  try {
    const r = await request(farm.port, 'x');
    assert.equal(r.error, 'ECONNRESET');
    const dead = farm.svc.dests[0]!;
    assert.equal(dead.connectFailures, 3);
    assert.equal(dead.stats.conns, 3);
    assert.equal(farm.svc.refused, 1);
    await assertDrained(farm);
  } finally {
    await farm.stop();
  }
});

test('proxy tcp: connect timeouts are counted, redispatched, and end in a reset', async () => {
  // A clock whose one-shot timers fire on the next tick: every connect attempt times out before the
  // kernel can complete it, deterministically. Intervals (the sweeper) stay real.
  const instantTimeouts: Clock = {
    ...systemClock,
    setTimeout(fn) {
      let live = true;
      process.nextTick(() => live && fn());
      return {
        cancel: () => {
          live = false;
        },
      };
    },
  };
  const servers = await nameServers(['a', 'b']);
  const farm = await startProxyFarm({
    reals: servers.map((s) => realAt(s.port)),
    service: { connect: { timeoutMs: 1000, retries: 3, redispatch: true } },
    engine: { clock: instantTimeouts },
  });
  try {
    const r = await request(farm.port, 'x');
    assert.equal(r.error, 'ECONNRESET');
    // Two servers: the first attempt and one redispatch; then nothing is left to try.
    assert.deepEqual(
      farm.svc.dests.map((d) => d.connectFailures),
      [1, 1],
    );
    assert.equal(farm.svc.refused, 1);
    assert.equal(farm.svc.stats.conns, 2);
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('proxy tcp: idle established connection closes after the tcp timeout', async () => {
  const echo = await echoServer();
  const farm = await startProxyFarm({
    reals: [realAt(echo.port)],
    timeouts: { tcpMs: 300 },
    engine: { sweepIntervalMs: 50 },
  });
  try {
    const client = await connectTcp(farm.port);
    const result = collect(client);
    client.write('ping');
    const r = await within(result, 'idle close', 10_000);
    assert.equal(r.data.toString(), 'ping');
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await echo.close();
  }
});

test('proxy tcp: half-closed connection closes after the tcpfin timeout', async () => {
  // The server never ends its side: only the FIN_WAIT timeout can end the session.
  const server = await startServer((s) => s.resume());
  const farm = await startProxyFarm({
    reals: [realAt(server.port)],
    timeouts: { tcpFinMs: 300 },
    engine: { sweepIntervalMs: 50 },
  });
  try {
    const r = await within(request(farm.port, 'bye'), 'fin timeout close', 10_000);
    assert.equal(r.data.length, 0);
    await assertDrained(farm);
  } finally {
    await farm.stop();
    await server.close();
  }
});
