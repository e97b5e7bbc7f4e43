import type { FarmPlan } from '../director/farm-plan.ts';
import { REAL_DEFAULTS } from '../director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../director/timeouts.ts';
import { serviceSpec, serviceId } from '../director/virtual-service.ts';
import { WEBFARM_TIMING } from '../health/check-spec.ts';

export const DEMO_ADDRESS = '127.0.0.1';
export const DEMO_PORT = 8080;

/**
 * The demo farm: one TCP service on 127.0.0.1:8080, round robin over the built-in demo servers' ports,
 * each health-checked over HTTP with webfarm's default timings (quiescent; servers start up, since they
 * are started just before).
 */
export function demoPlan(realPorts: readonly number[], port = DEMO_PORT): FarmPlan {
  return {
    engine: 'proxy',
    timeouts: DEFAULT_TIMEOUTS,
    admin: {},
    services: [
      {
        spec: serviceSpec('tcp', DEMO_ADDRESS, port, 'rr', { name: 'demo' }),
        // Listed last-first so the scheduling list (newest first) reads demo-1, demo-2, demo-3.
        reals: [...realPorts].reverse().map((p) => ({ ...REAL_DEFAULTS, address: DEMO_ADDRESS, port: p })),
      },
    ],
    health: {
      global: { startUp: true, alerts: {} },
      services: [
        {
          serviceId: serviceId('tcp', DEMO_ADDRESS, port),
          check: {
            type: 'http',
            intervalMs: WEBFARM_TIMING.intervalMs,
            timeoutMs: WEBFARM_TIMING.negotiateTimeoutMs,
            fall: WEBFARM_TIMING.fall,
            rise: WEBFARM_TIMING.rise,
            settings: { request: '/health', receive: 'Hello from demo' },
          },
          downAction: 'quiesce',
        },
      ],
    },
  };
}
