import { Director } from '../../src/director/director.ts';
import { REAL_DEFAULTS, type RealServerSpec } from '../../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../../src/director/timeouts.ts';
import { serviceSpec, type ServiceSpec, type VirtualService } from '../../src/director/virtual-service.ts';
import {
  type ProxyEngine,
  type ProxyEngineOptions,
  createProxyEngine,
} from '../../src/engines/proxy/proxy-engine.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { LOOPBACK, freePort } from './net.ts';
import { freeUdpPort } from './udp.ts';

/** A director with one service on loopback and a started proxy engine, built in code (no config file). */
export interface ProxyFarm {
  readonly director: Director;
  readonly engine: ProxyEngine;
  readonly svc: VirtualService;
  /** The service's port (on 127.0.0.1 unless the service's address says otherwise). */
  readonly port: number;
  stop(): Promise<void>;
}

export function realAt(port: number, over: Partial<RealServerSpec> = {}): RealServerSpec {
  return { ...REAL_DEFAULTS, address: LOOPBACK, port, ...over };
}

export function serviceAt(port: number, over: Partial<ServiceSpec> = {}): ServiceSpec {
  return serviceSpec('tcp', LOOPBACK, port, 'rr', over);
}

export interface FarmOptions {
  readonly reals: readonly RealServerSpec[];
  readonly service?: Partial<ServiceSpec>;
  readonly timeouts?: Partial<Timeouts>;
  readonly engine?: ProxyEngineOptions;
}

export async function startProxyFarm(o: FarmOptions): Promise<ProxyFarm> {
  const director = new Director(systemClock, { ...DEFAULT_TIMEOUTS, ...o.timeouts });
  const host = o.service?.address ?? LOOPBACK;
  const port = o.service?.protocol === 'udp' ? await freeUdpPort(host) : await freePort(host);
  const svc = director.addService(serviceAt(port, o.service), o.reals);
  const engine = createProxyEngine(director, o.engine);
  await engine.start();
  return {
    director,
    engine,
    svc,
    port,
    async stop() {
      await engine.stop();
      director.stop();
    },
  };
}
