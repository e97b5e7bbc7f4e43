import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Director } from '../../director/director.ts';
import { realSpec, svcSpec } from '../../director/test-support.ts';
import { DEFAULT_TIMEOUTS } from '../../director/timeouts.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { FakeExec } from './exec-runner.ts';
import type { NetFacts } from './net-facts.ts';
import { NftEngine } from './nft-engine.ts';

/** A director whose eth0 holds the VIP until `linkDown`: then neither the VIP nor any route is there. */
class LinkFacts implements NetFacts {
  linkDown = false;
  async deviceHolding(address: string) {
    return !this.linkDown && address === '192.0.2.240' ? 'eth0' : undefined;
  }
  async routeTo() {
    return this.linkDown ? undefined : { dev: 'eth0', local: false };
  }
  async linkMac() {
    return '02:00:00:00:00:01';
  }
  async neighbourMac(address: string) {
    return `02:00:00:00:00:${address.split('.')[3]}`;
  }
  async localAddresses() {
    return new Set(['192.0.2.1']);
  }
}

test('DR: the device found at start is kept when the link goes down later (no WF_ERR_NFT_DEVICE)', async () => {
  const director = new Director(new FakeClock(), DEFAULT_TIMEOUTS);
  const id = 'tcp:192.0.2.240:80';
  director.addService(svcSpec(), [realSpec(11, { forward: 'route' }), realSpec(12, { forward: 'route' })]);
  const facts = new LinkFacts();
  const errors: Error[] = [];
  const engine = new NftEngine(director, {
    exec: new FakeExec(),
    facts,
    statsIntervalMs: 0,
    shell: false,
    onError: (e) => errors.push(e),
  });
  await engine.start();
  facts.linkDown = true;
  director.editReal(id, '198.51.100.11:80', { health: 'down' });
  await engine.serviceReady(id);
  assert.deepEqual(errors, []);
  await engine.stop();
});
