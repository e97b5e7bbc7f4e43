import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Director } from '../../director/director.ts';
import { REAL_DEFAULTS } from '../../director/real-server.ts';
import { realSpec, svcSpec } from '../../director/test-support.ts';
import { DEFAULT_TIMEOUTS } from '../../director/timeouts.ts';
import { isWebfarmError } from '../../model/errors.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { FakeExec } from './exec-runner.ts';
import type { NetFacts } from './net-facts.ts';
import { NftEngine } from './nft-engine.ts';

/** Facts of a director 192.0.2.1 + VIP on eth0, real servers 198.51.100.x on the same segment. */
class FakeFacts implements NetFacts {
  readonly asked: string[] = [];
  async deviceHolding(address: string) {
    return address === '192.0.2.240' ? 'eth0' : undefined;
  }
  async routeTo(address: string) {
    this.asked.push(address);
    return { dev: 'eth0', local: address === '192.0.2.1' };
  }
  async linkMac() {
    return '02:00:00:00:00:01';
  }
  async neighbourMac(address: string) {
    this.asked.push(address);
    return `02:00:00:00:00:${address.split('.')[3]}`;
  }
  async localAddresses() {
    return new Set(['192.0.2.1', '192.0.2.240']);
  }
}

const ID = 'tcp:192.0.2.240:80';
const route = (host: number) => realSpec(host, { forward: 'route' });
/** The health layer's fallback (src/health/apply-ops.ts): forward from REAL_DEFAULTS (masq). */
const fallback = (address: string, port = 80) => ({ ...REAL_DEFAULTS, address, port, fallback: true });

function setup() {
  const director = new Director(new FakeClock(), DEFAULT_TIMEOUTS);
  director.addService(svcSpec(), [route(11), route(12)]);
  const exec = new FakeExec();
  const facts = new FakeFacts();
  const errors: Error[] = [];
  const engine = new NftEngine(director, {
    exec,
    facts,
    statsIntervalMs: 0,
    shell: false,
    onError: (e) => errors.push(e),
  });
  return { director, exec, facts, engine, errors };
}

describe('NftEngine: local real servers', () => {
  it('a DR service takes the health layer’s loopback fallback: accepted into the director, no MAC asked', async () => {
    const { director, facts, engine, errors } = setup();
    await engine.start();
    director.editReal(ID, '198.51.100.11:80', { health: 'down' });
    director.editReal(ID, '198.51.100.12:80', { health: 'down' });
    director.addReal(ID, fallback('127.0.0.1'));
    await engine.serviceReady(ID);
    assert.deepEqual(errors, []);
    assert.equal(engine.lastPlan, 'rebuild');
    assert.match(engine.lastScript, /table netdev webfarm \{/);
    assert.match(engine.lastScript, /set s0_local \{\n\t\ttype mark\n\t\telements = \{ 3 \}\n/);
    assert.match(engine.lastScript, /\t\tmeta mark @s0_local meta mark set 0 accept\n/);
    assert.match(engine.lastScript, /elements = \{ 0 : 3 \}/, 'the fallback holds the only slot');
    assert.ok(!facts.asked.includes('127.0.0.1'));
    await engine.stop();
  });

  it('an address configured on the director is local too', async () => {
    const { director, facts, engine } = setup();
    await engine.start();
    director.addReal(ID, { ...REAL_DEFAULTS, address: '192.0.2.1', port: 80, forward: 'route' });
    await engine.serviceReady(ID);
    assert.match(engine.lastScript, /set s0_local \{\n\t\ttype mark\n\t\telements = \{ 3 \}\n/);
    assert.ok(!facts.asked.includes('192.0.2.1'));
    await engine.stop();
  });

  it('a DR fallback on another port is refused (WF_ERR_NFT_UNSUPPORTED), the last good rules stay', async () => {
    const { director, exec, engine } = setup();
    await engine.start();
    const applies = () => exec.calls.filter((c) => c.argv.includes('-f')).length;
    const before = applies();
    director.addReal(ID, fallback('127.0.0.1', 8080));
    await assert.rejects(
      engine.serviceReady(ID),
      (e) => isWebfarmError(e) && e.code === 'WF_ERR_NFT_UNSUPPORTED' && /port 80/.test(e.message),
    );
    assert.equal(applies(), before, 'nothing applied');
    assert.equal(engine.lastPlan, 'none');
    await engine.stop();
  });

  it('NAT: a loopback fallback is a redirect, counted in input and output', async () => {
    const director = new Director(new FakeClock(), DEFAULT_TIMEOUTS);
    director.addService(svcSpec(), [realSpec(11)]);
    const exec = new FakeExec();
    const engine = new NftEngine(director, { exec, statsIntervalMs: 0, shell: false });
    await engine.start();
    director.addReal(ID, fallback('127.0.0.1', 8080));
    await engine.serviceReady(ID);
    assert.match(engine.lastScript, /\t\tct mark 2 meta l4proto tcp redirect to :8080\n/);
    assert.match(
      engine.lastScript,
      /chain input \{\n\t\ttype filter hook input.*\n\t\tct direction original ct mark @r_in/,
    );
    await engine.stop();
  });
});
