import type { FarmPlan } from '../src/director/farm-plan.ts';
import { REAL_DEFAULTS } from '../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../src/director/timeouts.ts';
import { serviceSpec } from '../src/director/virtual-service.ts';
import type { Forward } from './topology.ts';

/** One service per forward (round robin, no persistence, default connect policy), one real server each. */
export function benchPlan(forwards: readonly Forward[]): FarmPlan {
  return {
    engine: 'proxy',
    timeouts: DEFAULT_TIMEOUTS,
    admin: {},
    services: forwards.map((f) => ({
      spec: serviceSpec(f.protocol, f.listenHost, f.listen, 'rr', {
        name: `bench-${f.protocol}-${f.listen}`,
      }),
      reals: [{ ...REAL_DEFAULTS, address: f.backendHost, port: f.backend }],
    })),
  };
}
