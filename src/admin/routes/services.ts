import { SERVICE_DEFAULTS, type ServiceSpec, serviceId } from '../../director/virtual-service.ts';
import { addServiceChecked } from '../../engines/engine.ts';
import { normalizeAddress } from '../../model/endpoint.ts';
import { ApiError, readJson, toApiError, validate } from '../http.ts';
import {
  type ServiceBody,
  type ServiceSettingsBody,
  emptySchema,
  serviceSchema,
  serviceSettingsSchema,
} from '../schemas.ts';
import { type ApiContext, type Handler, serviceIdParam } from './context.ts';
import { decoratedSnapshot, serviceView } from './decorate.ts';

/** GET /v1/services */
export const listServices: Handler = async (ctx) => [200, decoratedSnapshot(ctx).services];

/** GET /v1/services/{sid} */
export const getService: Handler = async (ctx, p) => [200, serviceView(ctx, serviceIdParam(p.sid ?? ''))];

/** POST /v1/services: add a service; its listener is bound before the reply, or nothing stays (409/422). */
export const addService: Handler = async (ctx, _p, req) => {
  const b = validate(serviceSchema, await readJson(req));
  const spec = specOf(b, b);
  const id = serviceId(spec.protocol, spec.address, spec.port);
  try {
    if (ctx.engine) await addServiceChecked(ctx.director, ctx.engine, spec);
    else ctx.director.addService(spec);
  } catch (e) {
    throw toApiError(e, fieldOf(e));
  }
  return [201, serviceView(ctx, id)];
};

/** PUT /v1/services/{sid}: ipvsadm -E. Scheduling settings absent from the body return to their defaults. */
export const editService: Handler = async (ctx, p, req) => {
  const id = serviceIdParam(p.sid ?? '');
  const b = validate(serviceSettingsSchema, await readJson(req));
  const prev = ctx.director.services.get(id);
  if (!prev) throw new ApiError(404, 'WF_ERR_DIRECTOR_NO_SERVICE', `no virtual service ${id}`, 'service');
  try {
    ctx.director.editService(id, specOf(prev.spec, b, prev.spec));
  } catch (e) {
    throw toApiError(e, fieldOf(e));
  }
  return [200, serviceView(ctx, id)];
};

/** DELETE /v1/services/{sid}: live TCP sessions run to their end; the listener closes. */
export const deleteService: Handler = async (ctx, p, req) => {
  const id = serviceIdParam(p.sid ?? '');
  validate(emptySchema, await readJson(req));
  removeOrThrow(ctx, id);
  return [200, { deleted: id }];
};

/** DELETE /v1/services: ipvsadm -C, every service. */
export const clearServices: Handler = async (ctx, _p, req) => {
  validate(emptySchema, await readJson(req));
  const ids = [...ctx.director.services.keys()];
  for (const id of ids) ctx.director.removeService(id);
  return [200, { deleted: ids }];
};

function removeOrThrow(ctx: ApiContext, id: string): void {
  try {
    ctx.director.removeService(id);
  } catch (e) {
    throw toApiError(e, 'service');
  }
}

type Where = Pick<ServiceSpec, 'protocol' | 'address' | 'port'>;

function specOf(where: Where, b: ServiceSettingsBody | ServiceBody, prev?: ServiceSpec): ServiceSpec {
  const name = b.name ?? prev?.name;
  return {
    ...(name === undefined ? {} : { name }),
    protocol: where.protocol,
    address: normalizeAddress(where.address),
    port: where.port,
    scheduler: b.scheduler ?? SERVICE_DEFAULTS.scheduler,
    flags: b.flags ?? [],
    ...(b.persistence ? { persistence: b.persistence } : {}),
    expireQuiescentTemplate: prev?.expireQuiescentTemplate ?? false,
    onePacket: b.onePacket ?? false,
    proxyProtocol: b.proxyProtocol ?? prev?.proxyProtocol ?? 'off',
    connect: prev?.connect ?? SERVICE_DEFAULTS.connect,
  };
}

function fieldOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'WF_ERR_SCHEDULER_UNKNOWN') return 'scheduler';
  if (code === 'WF_ERR_SCHEDULER_FLAG') return 'flags';
  if (code === 'WF_ERR_DIRECTOR_DUPLICATE_SERVICE' || code === 'WF_ERR_ENGINE_LISTEN') return 'port';
  return 'body';
}
