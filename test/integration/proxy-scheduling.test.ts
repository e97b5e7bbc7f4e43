import assert from 'node:assert/strict';
import { test } from 'node:test';
import { realAt, startProxyFarm } from '../support/farm.ts';
import { type Held, hold, request, requestFrom, until } from '../support/net.ts';
import { type TestServer, holdServer, nameServers } from '../support/servers.ts';

async function holdServers(names: readonly string[]): Promise<TestServer[]> {
  return Promise.all(names.map((n) => holdServer(n)));
}

async function names(port: number, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await request(port)).data.toString());
  return out;
}

const PERSIST = { timeoutMs: 60_000, prefix: 32 };

test('persistence: one client keeps its server; another client gets a template of its own', async () => {
  const servers = await nameServers(['a', 'b', 'c']);
  const farm = await startProxyFarm({
    reals: servers.map((s) => realAt(s.port)),
    service: { persistence: PERSIST },
  });
  try {
    const first = (await requestFrom('127.0.0.1', farm.port)).data.toString();
    for (let i = 0; i < 5; i++) {
      assert.equal((await requestFrom('127.0.0.1', farm.port)).data.toString(), first);
    }
    const other = (await requestFrom('127.0.0.2', farm.port)).data.toString();
    assert.notEqual(other, first, 'a new template is scheduled by rr onto the next server');
    assert.equal((await requestFrom('127.0.0.2', farm.port)).data.toString(), other);
    assert.equal(farm.svc.templates?.size, 2);
    const persist = farm.svc.dests.map((d) => d.persistConns).sort();
    assert.deepEqual(persist, [0, 1, 1]);
  } finally {
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('thresholds: an upper threshold sends new connections elsewhere until OVERLOAD clears', async () => {
  const servers = await holdServers(['a', 'b']);
  const [a, b] = servers as [TestServer, TestServer];
  const farm = await startProxyFarm({ reals: [realAt(a.port, { upperThreshold: 1 }), realAt(b.port)] });
  const held: Held[] = [];
  try {
    const destA = farm.svc.findReal(`127.0.0.1:${a.port}`)!;
    // Hold connections until one sits on a: its total reaches the upper threshold.
    while (!held.some((h) => h.hello === 'a')) held.push(await hold(farm.port));
    assert.equal(destA.overloaded, true);
    assert.deepEqual(await names(farm.port, 4), ['b', 'b', 'b', 'b']);
    for (const h of held.filter((x) => x.hello === 'a')) await h.end();
    await until(() => destA.totalConns === 0, 'the connection on a to close');
    assert.equal(destA.overloaded, false, 'OVERLOAD clears below the threshold');
    assert.ok((await names(farm.port, 2)).includes('a'), 'a gets new connections again');
  } finally {
    for (const h of held) h.socket.destroy();
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('quiescence: weight 0 keeps existing connections, new ones go elsewhere', async () => {
  const servers = await holdServers(['a', 'b']);
  const farm = await startProxyFarm({ reals: servers.map((s) => realAt(s.port)) });
  try {
    const h = await hold(farm.port);
    const dest = farm.svc.dests.find((d) => d.port === servers[h.hello === 'a' ? 0 : 1]!.port)!;
    farm.director.editReal(farm.svc.id, dest.id, { weight: 0 });
    const others = await names(farm.port, 4);
    assert.ok(
      others.every((n) => n !== h.hello),
      `new connections avoid the quiescent server: ${others.join()}`,
    );
    assert.equal(await h.roundTrip('still here'), 'still here');
    assert.equal(dest.activeConns, 1);
    await h.end();
  } finally {
    await farm.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('quiescence with persistence: the client still reaches its quiescent server (unless templates expire)', async () => {
  const cases = [
    { expireQuiescentTemplate: false, sameServer: true },
    { expireQuiescentTemplate: true, sameServer: false },
  ];
  for (const c of cases) {
    const servers = await holdServers(['a', 'b']);
    const farm = await startProxyFarm({
      reals: servers.map((s) => realAt(s.port)),
      service: { persistence: PERSIST, expireQuiescentTemplate: c.expireQuiescentTemplate },
    });
    try {
      const h = await hold(farm.port);
      const dest = farm.svc.dests.find((d) => d.port === servers[h.hello === 'a' ? 0 : 1]!.port)!;
      farm.director.editReal(farm.svc.id, dest.id, { weight: 0 });
      const again = await hold(farm.port);
      assert.equal(again.hello === h.hello, c.sameServer, JSON.stringify(c));
      assert.equal(await h.roundTrip('ok'), 'ok');
      await Promise.all([h.end(), again.end()]);
    } finally {
      await farm.stop();
      await Promise.all(servers.map((s) => s.close()));
    }
  }
});
