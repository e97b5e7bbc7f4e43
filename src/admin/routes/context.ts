import type { IncomingMessage } from 'node:http';
import type { Director } from '../../director/director.ts';
import { type Protocol, serviceId } from '../../director/virtual-service.ts';
import type { Engine } from '../../engines/engine.ts';
import { formatEndpoint, parseEndpoint } from '../../model/endpoint.ts';
import type { RunInfo } from '../api.ts';
import { ApiError } from '../http.ts';
import type { AdminRuntime } from '../runtime.ts';
import type { ClusterControl } from './cluster.ts';
import type { ReloadFn } from './reload.ts';

/** What every route handler may use. `engine` is absent when the API runs over a bare director (tests). */
export interface ApiContext {
  readonly director: Director;
  readonly engine: Engine | undefined;
  readonly info: RunInfo;
  readonly runtime: AdminRuntime;
  /** Re-read the config (POST /v1/reload); undefined when the API runs without a config (tests, demo). */
  readonly reload: ReloadFn | undefined;
  /** The cluster node (GET /v1/cluster, standby, takeover); undefined when the director runs no cluster. */
  readonly cluster?: ClusterControl | undefined;
}

/** Path parameters: `sid` a service id (tcp:ADDRESS:PORT), `rid` a real server id (ADDRESS:PORT). */
export type Params = Readonly<Record<string, string>>;

/** A handler's reply: HTTP status and JSON body. */
export type Reply = readonly [number, unknown];

export type Handler = (ctx: ApiContext, params: Params, req: IncomingMessage) => Promise<Reply>;

/** Canonical service id from a path segment, or 404 when it is not one (so it names no service). */
export function serviceIdParam(text: string): string {
  const m = /^(tcp|udp):(.+)$/.exec(text);
  const ep = m ? parseEndpoint(m[2] as string) : undefined;
  if (!m || !ep?.ok)
    throw new ApiError(404, 'WF_ERR_DIRECTOR_NO_SERVICE', `no virtual service ${text}`, 'service');
  return serviceId(m[1] as Protocol, ep.value.address, ep.value.port);
}

export function realIdParam(text: string, service: string): string {
  const ep = parseEndpoint(text);
  if (!ep.ok)
    throw new ApiError(404, 'WF_ERR_DIRECTOR_NO_REAL', `no real server ${text} in ${service}`, 'real');
  return formatEndpoint(ep.value.address, ep.value.port);
}
