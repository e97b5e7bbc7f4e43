import type { Flow } from '../scheduler/scheduler.ts';
import { REAL_DEFAULTS, type RealServerSpec } from './real-server.ts';
import { serviceSpec, type ServiceSpec } from './virtual-service.ts';

/** Builders shared by the director's unit tests (pure data, no I/O). */
export function svcSpec(over: Partial<ServiceSpec> = {}): ServiceSpec {
  return serviceSpec('tcp', '192.0.2.240', 80, 'rr', over);
}

export function realSpec(host: number, over: Partial<RealServerSpec> = {}): RealServerSpec {
  return { ...REAL_DEFAULTS, address: `198.51.100.${host}`, port: 80, ...over };
}

export function flow(client: string, nowMs = 0, clientPort = 40000): Flow {
  return {
    protocol: 'tcp',
    clientAddress: client,
    clientPort,
    virtualAddress: '192.0.2.240',
    virtualPort: 80,
    nowMs,
  };
}
