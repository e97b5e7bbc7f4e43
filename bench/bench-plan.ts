import type { FarmPlan } from '../src/director/farm-plan.ts';
import { REAL_DEFAULTS } from '../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../src/director/timeouts.ts';
import { SERVICE_DEFAULTS } from '../src/director/virtual-service.ts';
import type { Forward } from './topology.ts';

/** One service per forward (round robin, no persistence, default connect policy), one real server each. */
export function benchPlan(forwards: readonly Forward[]): FarmPlan {
  return {
    engine: 'proxy',
    timeouts: DEFAULT_TIMEOUTS,
    admin: {},
    services: forwards.map((f) => ({
      spec: {
        name: `bench-${f.protocol}-${f.listen}`,
        protocol: f.protocol,
        address: f.listenHost,
        port: f.listen,
        scheduler: 'rr',
        flags: [],
        expireQuiescentTemplate: false,
        onePacket: false,
        proxyProtocol: 'off',
        connect: SERVICE_DEFAULTS.connect,
      },
      reals: [{ ...REAL_DEFAULTS, address: f.backendHost, port: f.backend }],
    })),
  };
}
