import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Director } from '../director/director.ts';
import { realSpec, svcSpec } from '../director/test-support.ts';
import { FakeClock } from '../platform/fake-clock.ts';
import { silentLogger } from '../platform/log.ts';
import { seededRng } from '../platform/random.ts';
import type { CheckSpec } from './check-spec.ts';
import type { CommandRunner } from './command-runner.ts';
import { type HealthEvent, HealthSubsystem } from './health-subsystem.ts';
import type { HealthPlan, ServiceHealth } from './health-plan.ts';
import type { Probe, ProbeResult } from './probe.ts';
import { advance, FAIL, OK } from './testing/fake-probe.ts';

const CHECK: CheckSpec = { type: 'connect', intervalMs: 100, timeoutMs: 50, fall: 2, rise: 2, settings: {} };
const SVC = 'tcp:192.0.2.240:80';
const A = '198.51.100.1:80';
const B = '198.51.100.2:80';

/** A world: a director with reals .1 and .2, probes answering from `up` (by real address), recorded effects. */
async function world(service: Partial<ServiceHealth> = {}, global: Partial<HealthPlan['global']> = {}) {
  const clock = new FakeClock();
  const director = new Director(clock);
  director.addService(svcSpec(), [realSpec(1), realSpec(2)]);
  const up = new Map<string, boolean>([
    ['198.51.100.1', true],
    ['198.51.100.2', true],
  ]);
  const probeRuns: string[] = [];
  const probe = (): Probe => ({
    type: 'connect',
    run: async (t): Promise<ProbeResult> => {
      probeRuns.push(`${t.address}:${t.port}`);
      return up.get(t.address) ? OK : FAIL;
    },
  });
  const commands: string[] = [];
  const runner: CommandRunner = {
    run: async (argv) => {
      commands.push(argv.join(' '));
      return { code: 0, signal: null };
    },
  };
  const events: HealthEvent[] = [];
  const plan: HealthPlan = {
    global: { startUp: false, alerts: {}, ...global },
    services: [{ serviceId: SVC, check: CHECK, downAction: 'quiesce', ...service }],
  };
  const health = await HealthSubsystem.start(plan, {
    director,
    clock,
    rng: seededRng(3),
    log: silentLogger,
    probe,
    runner,
    post: async () => ({ ok: true, status: 200 }),
  });
  health.on((e) => events.push(e));
  const real = (id: string) => {
    const r = director.getService(SVC).findReal(id);
    assert.ok(r, id);
    return r;
  };
  const alerts = () =>
    events.flatMap((e) => (e.type === 'alert' ? [`${e.alert.kind} ${e.alert.real ?? ''}`] : []));
  return { clock, director, up, health, events, commands, real, alerts, probeRuns, plan };
}

test('health: never-checked reals start down (no alert); the first success brings them up (no alert)', async () => {
  const w = await world();
  assert.equal(w.real(A).health, 'down');
  assert.equal(w.real(A).healthReason, 'not checked yet');
  assert.equal(w.real(A).usable, false);
  await advance(w.clock, 100);
  assert.equal(w.real(A).health, 'up');
  assert.equal(w.real(A).usable, true);
  assert.deepEqual(w.alerts(), []);
  assert.equal(w.real(A).lastCheck?.ok, true);
  await w.health.stop();
});

test('health: quiescent — down after fall failures = weight 0 but available; back after rise', async () => {
  const w = await world();
  await advance(w.clock, 100);
  w.up.set('198.51.100.1', false);
  await advance(w.clock, 200);
  const a = w.real(A);
  assert.deepEqual([a.health, a.weight, a.available, a.configuredWeight], ['down', 0, true, 1]);
  assert.equal(a.healthReason, 'scripted');
  assert.deepEqual(w.alerts(), [`real-down ${A}`]);
  w.up.set('198.51.100.1', true);
  await advance(w.clock, 200);
  assert.deepEqual([a.health, a.weight], ['up', 1]);
  assert.deepEqual(w.alerts(), [`real-down ${A}`, `real-up ${A}`]);
  await w.health.stop();
});

test('health: removal — down = unavailable and its persistence templates are dropped', async () => {
  const w = await world({ downAction: 'remove' });
  await advance(w.clock, 100);
  const svc = w.director.getService(SVC);
  svc.reconfigure({ ...svc.spec, persistence: { timeoutMs: 60_000, prefix: 32 } });
  const flow = {
    protocol: 'tcp' as const,
    clientAddress: '203.0.113.5',
    clientPort: 1,
    virtualAddress: '192.0.2.240',
    virtualPort: 80,
    nowMs: 0,
  };
  const s = svc.schedule(flow);
  assert.ok(s.ok);
  const victim = s.dest.address;
  w.up.set(victim, false);
  await advance(w.clock, 200);
  assert.equal(s.dest.available, false);
  assert.equal(s.dest.persistConns, 0, 'template dropped');
  assert.equal(svc.templates?.size, 0);
  await w.health.stop();
});

test('health: all down brings the fallback in (start once); the first back takes it out (stop once)', async () => {
  const w = await world({ fallback: { address: '203.0.113.9', port: 8080 }, fallbackCommand: ['/bin/fb'] });
  await advance(w.clock, 100);
  assert.deepEqual(w.commands, [], 'no fallback flash at start');
  w.up.set('198.51.100.1', false);
  w.up.set('198.51.100.2', false);
  await advance(w.clock, 500);
  const fb = w.director.getService(SVC).findReal('203.0.113.9:8080');
  assert.ok(fb?.fallback);
  assert.equal(fb.weight, 1);
  assert.equal(fb.usable, true);
  assert.deepEqual(w.commands, ['/bin/fb start 192.0.2.240:80 tcp']);
  w.up.set('198.51.100.2', true);
  await advance(w.clock, 500);
  assert.equal(w.director.getService(SVC).findReal('203.0.113.9:8080'), undefined);
  assert.deepEqual(w.commands, ['/bin/fb start 192.0.2.240:80 tcp', '/bin/fb stop 192.0.2.240:80 tcp']);
  assert.deepEqual(
    w.alerts().filter((a) => a.startsWith('fallback')),
    ['fallback-in 203.0.113.9:8080', 'fallback-out 203.0.113.9:8080'],
  );
  await w.health.stop();
});

test('health: one check per (address, port, check) however many services share it', async () => {
  const w = await world();
  w.director.addService(svcSpec({ port: 8080 }), [realSpec(1)]);
  await w.health.reconfigure({
    ...w.plan,
    services: [...w.plan.services, { serviceId: 'tcp:192.0.2.240:8080', check: CHECK, downAction: 'remove' }],
  });
  assert.equal(w.health.checkCount, 2);
  await advance(w.clock, 1000);
  const runsA = w.probeRuns.filter((r) => r === A).length;
  assert.ok(runsA >= 9 && runsA <= 11, `one check of A per interval: ${runsA}`);
  assert.equal(w.director.getService('tcp:192.0.2.240:8080').findReal(A)?.health, 'up', 'result fanned out');
  await w.health.stop();
});

test('health: reconfigure keeps damping state of unchanged checks and restarts changed ones', async () => {
  const w = await world();
  await advance(w.clock, 100);
  w.up.set('198.51.100.1', false);
  await advance(w.clock, 100);
  assert.deepEqual(w.health.checkOf(SVC, A)?.state, { kind: 'up', fails: 1 });
  await w.health.reconfigure(w.plan);
  assert.deepEqual(w.health.checkOf(SVC, A)?.state, { kind: 'up', fails: 1 }, 'same plan: state kept');
  await w.health.reconfigure({
    ...w.plan,
    services: [
      { ...w.plan.services[0], serviceId: SVC, downAction: 'quiesce', check: { ...CHECK, fall: 5 } },
    ],
  });
  assert.deepEqual(w.health.checkOf(SVC, A)?.state, { kind: 'unknown' }, 'changed check: fresh state');
  await w.health.stop();
});

test('health: state file — recorded up starts up before any check; transitions are written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webfarm-health-'));
  const stateFile = join(dir, 'state.json');
  try {
    const first = await world({}, { stateFile });
    await advance(first.clock, 100);
    await first.health.stop();
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { checks: Record<string, string> };
    assert.deepEqual(Object.values(saved.checks), ['up', 'up']);
    const second = await world({}, { stateFile });
    assert.equal(second.real(A).health, 'up', 'recorded up: up at once');
    assert.equal(second.real(A).usable, true);
    assert.deepEqual(second.alerts(), []);
    await second.health.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('health: start_up — unchecked reals start up', async () => {
  const w = await world({}, { startUp: true });
  assert.equal(w.real(A).health, 'up');
  await w.health.stop();
});

test('health: a service without a check (or type off) is left unknown', async () => {
  const w = await world({ check: { ...CHECK, type: 'off' } });
  await advance(w.clock, 300);
  assert.equal(w.real(B).health, 'unknown');
  assert.equal(w.probeRuns.length, 0);
  await w.health.stop();
});
