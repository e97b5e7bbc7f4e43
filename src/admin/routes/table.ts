import { snapshotConnections } from '../../director/connections-snapshot.ts';
import { mergeTimeouts } from '../../director/timeouts.ts';
import { readJson, toApiError, validate } from '../http.ts';
import { emptySchema, timeoutsSchema } from '../schemas.ts';
import { type Handler, serviceIdParam } from './context.ts';
import { decoratedSnapshot } from './decorate.ts';

/** GET /v1/status: run facts and the whole director snapshot. */
export const getStatus: Handler = async (ctx) => [200, { ...ctx.info, ...decoratedSnapshot(ctx) }];

/** POST /v1/zero: ipvsadm -Z, every service's and real server's totals (not the connection gauges). */
export const zeroAll: Handler = async (ctx, _p, req) => {
  validate(emptySchema, await readJson(req));
  ctx.director.zero();
  return [200, { zeroed: [...ctx.director.services.keys()] }];
};

/** POST /v1/services/{sid}/zero: ipvsadm -Z -t|-u. */
export const zeroService: Handler = async (ctx, p, req) => {
  const sid = serviceIdParam(p.sid ?? '');
  validate(emptySchema, await readJson(req));
  try {
    ctx.director.zero(sid);
  } catch (e) {
    throw toApiError(e, 'service');
  }
  return [200, { zeroed: [sid] }];
};

/** GET /v1/timeouts */
export const getTimeouts: Handler = async (ctx) => [200, { ...ctx.director.timeouts }];

/** PUT /v1/timeouts: ipvsadm --set; a value of 0 or an absent one keeps the current timeout. */
export const setTimeouts: Handler = async (ctx, _p, req) => {
  const b = validate(timeoutsSchema, await readJson(req));
  ctx.director.timeouts = mergeTimeouts(ctx.director.timeouts, {
    tcpMs: b.tcpMs ?? 0,
    tcpFinMs: b.tcpFinMs ?? 0,
    udpMs: b.udpMs ?? 0,
  });
  return [200, { ...ctx.director.timeouts }];
};

/** GET /v1/connections: live connections and persistence templates (ipvsadm -L -c). */
export const listConnections: Handler = async (ctx) => [
  200,
  snapshotConnections(ctx.director, ctx.director.clock.now()),
];
