import type { Director } from '../director/director.ts';
import type { RealServerSpec } from '../director/real-server.ts';
import type { ServiceSpec, VirtualService } from '../director/virtual-service.ts';

/**
 * An engine moves the bytes of the director's virtual services. It decides nothing the director decides:
 * it asks a service to schedule, opens the Connection it is given and keeps the accounting current.
 */
export interface Engine {
  readonly name: 'proxy' | 'nft';
  /**
   * Open listeners for every service the director has; all-or-nothing: if one fails (port in use), close
   * the ones opened and reject with WebfarmError WF_ERR_ENGINE_LISTEN naming the service and the cause.
   */
  start(): Promise<void>;
  /** Close listeners and destroy every connection; resolves when all sockets are closed. */
  stop(): Promise<void>;
  /**
   * Settles once the engine has applied a service added to the director (listener bound or failed).
   * Resolves at once when the engine is not running or does not know the service. A caller that awaits
   * this takes over the error: the engine's own `onError` report is skipped for it. Optional: engines
   * that apply services synchronously need not implement it.
   */
  serviceReady?(id: string): Promise<void>;
}

/**
 * Add a service and wait until the engine serves it. If the engine cannot (port in use, unsupported), the
 * service is removed from the director again and the engine's error is thrown: nothing stays half-applied.
 * Director validation errors (duplicate, invalid) are thrown before anything changes.
 */
export async function addServiceChecked(
  director: Director,
  engine: Engine,
  spec: ServiceSpec,
  reals: readonly RealServerSpec[] = [],
): Promise<VirtualService> {
  const svc = director.addService(spec, reals);
  try {
    await engine.serviceReady?.(svc.id);
  } catch (e) {
    if (director.services.get(svc.id) === svc) director.removeService(svc.id);
    throw e;
  }
  return svc;
}
