import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Director } from '../../director/director.ts';
import { realSpec, svcSpec } from '../../director/test-support.ts';
import { HealthSubsystem } from '../../health/health-subsystem.ts';
import type { Probe, ProbeResult } from '../../health/probe.ts';
import { FAIL, OK, advance } from '../../health/testing/fake-probe.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { silentLogger } from '../../platform/log.ts';
import { seededRng } from '../../platform/random.ts';
import { AdminRuntime } from '../runtime.ts';
import type { AdminEvent } from './admin-event.ts';
import { runWithCause } from './cause.ts';

const SVC = 'tcp:192.0.2.240:80';
const A = '198.51.100.1:80';

test('health checker changes reach the bus as health-transition, real-changed and alerts, cause health', async () => {
  const clock = new FakeClock();
  const director = new Director(clock);
  director.addService(svcSpec(), [realSpec(1)]);
  let up = true;
  const probe = (): Probe => ({ type: 'connect', run: async (): Promise<ProbeResult> => (up ? OK : FAIL) });
  const runtime = new AdminRuntime({ director });
  const seen: AdminEvent[] = [];
  runtime.events.subscribe((e) => seen.push(e));
  const health = new HealthSubsystem(
    {
      global: { startUp: false, alerts: {} },
      services: [
        {
          serviceId: SVC,
          check: { type: 'connect', intervalMs: 100, timeoutMs: 50, fall: 1, rise: 1, settings: {} },
          downAction: 'quiesce',
        },
      ],
    },
    {
      director,
      clock,
      rng: seededRng(1),
      log: silentLogger,
      probe,
      runner: { run: async () => ({ code: 0, signal: null }) },
      post: async () => ({ ok: true, status: 200 }),
    },
  );
  runtime.watchHealth(health);
  // Started from inside an API request's context: health changes must still say health, not api.
  await runWithCause({ source: 'api' }, () => health.start());
  await advance(clock, 150);
  up = false;
  await advance(clock, 200);
  await health.stop();
  runtime.stop();
  const mine = seen.filter((e) => e.subject === `${SVC}/${A}`);
  const transitions = mine.filter((e) => e.type === 'health-transition').map((e) => [e.data.from, e.data.to]);
  assert.deepEqual(transitions.slice(-2), [
    ['down', 'up'],
    ['up', 'down'],
  ]);
  assert.ok(mine.some((e) => e.type === 'health-alert' && e.data.kind === 'real-down'));
  const changed = mine.filter((e) => e.type === 'real-changed');
  assert.ok(changed.length >= 2);
  for (const e of mine) assert.equal(e.cause.source, 'health', `${e.type} ${JSON.stringify(e.data)}`);
  const last = changed.at(-1)!;
  assert.deepEqual((last.data.changes as Record<string, unknown>).health, { from: 'up', to: 'down' });
});
