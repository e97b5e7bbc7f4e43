import { parseDuration } from '../../config/duration.ts';
import { ApiError, readJson, toApiError, validate } from '../http.ts';
import { drainSchema, emptySchema } from '../schemas.ts';
import { type ApiContext, type Handler, type Params, realIdParam, serviceIdParam } from './context.ts';
import { realWithDrain } from './decorate.ts';

/**
 * POST /v1/services/{sid}/reals/{rid}/drain: admin `drain` (weight 0 for the scheduler), then watch the
 * connections reach 0 or the timeout, then remove the server if asked. 202 with the server and its drain;
 * the end is announced by a drain-finished event and shown in GETs.
 */
export const drainReal: Handler = async (ctx, p, req) => {
  const [sid, rid] = ids(p);
  const b = validate(drainSchema, await readJson(req));
  let timeoutMs: number | undefined;
  if (b.timeout !== undefined) {
    const d = parseDuration(b.timeout);
    if (!d.ok) throw new ApiError(400, 'WF_ERR_ADMIN_BAD_REQUEST', `timeout: ${d.error}`, 'timeout');
    timeoutMs = d.ms;
  }
  const view = attempt(() =>
    ctx.runtime.drains.start(sid, rid, {
      remove: b.remove ?? false,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    }),
  );
  if (view.removed) return [202, { removed: rid, drain: view }];
  return [202, realWithDrain(ctx, sid, rid)];
};

/** POST …/reals/{rid}/enable: back to admin `enabled`; a drain in progress is cancelled. */
export const enableReal: Handler = async (ctx, p, req) => {
  const [sid, rid] = ids(p);
  validate(emptySchema, await readJson(req));
  attempt(() => ctx.runtime.drains.enable(sid, rid));
  return [200, realWithDrain(ctx, sid, rid)];
};

/** POST …/reals/{rid}/maintenance: admin `maintenance` (out of scheduling, connections kept). */
export const maintainReal: Handler = async (ctx, p, req) => {
  const [sid, rid] = ids(p);
  validate(emptySchema, await readJson(req));
  attempt(() => ctx.director.editReal(sid, rid, { admin: 'maintenance' }));
  return [200, realWithDrain(ctx, sid, rid)];
};

/** GET /v1/drains: drains in progress and finished ones still remembered. */
export const listDrains: Handler = async (ctx: ApiContext) => [200, ctx.runtime.drains.list()];

function ids(p: Params): [string, string] {
  const sid = serviceIdParam(p.sid ?? '');
  return [sid, realIdParam(p.rid ?? '', sid)];
}

function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw toApiError(e, code === 'WF_ERR_DIRECTOR_NO_SERVICE' ? 'service' : 'real');
  }
}
