import { REAL_DEFAULTS, type RealServerSpec } from '../../director/real-server.ts';
import { normalizeAddress } from '../../model/endpoint.ts';
import { readJson, toApiError, validate } from '../http.ts';
import { type RealSettingsBody, emptySchema, realSchema, realSettingsSchema } from '../schemas.ts';
import { type ApiContext, type Handler, realIdParam, serviceIdParam } from './context.ts';
import { realWithDrain, serviceView } from './decorate.ts';
import { checkForward } from './forward-check.ts';

/** GET /v1/services/{sid}/reals: in scheduling order (newest first). */
export const listReals: Handler = async (ctx, p) => [
  200,
  serviceView(ctx, serviceIdParam(p.sid ?? '')).reals,
];

/** GET /v1/services/{sid}/reals/{rid} */
export const getReal: Handler = async (ctx, p) => {
  const sid = serviceIdParam(p.sid ?? '');
  return [200, realSnapshot(ctx, sid, realIdParam(p.rid ?? '', sid))];
};

/** POST /v1/services/{sid}/reals: ipvsadm -a. Weight 1, forward masq, no thresholds unless given. */
export const addReal: Handler = async (ctx, p, req) => {
  const sid = serviceIdParam(p.sid ?? '');
  const b = validate(realSchema, await readJson(req));
  const spec: RealServerSpec = {
    ...REAL_DEFAULTS,
    ...definedOnly(b),
    address: normalizeAddress(b.address),
    port: b.port,
  };
  checkForward(ctx.engine, spec.forward);
  let id: string;
  try {
    id = ctx.director.addReal(sid, spec).id;
  } catch (e) {
    throw toApiError(e, fieldOf(e));
  }
  return [201, realSnapshot(ctx, sid, id)];
};

/** PUT …/reals/{rid}: ipvsadm -e, fields absent from the body return to their defaults. */
export const replaceReal: Handler = async (ctx, p, req) => {
  const b = validate(realSettingsSchema, await readJson(req));
  const { forward, weight, upperThreshold, lowerThreshold } = REAL_DEFAULTS;
  return edit(ctx, p.sid ?? '', p.rid ?? '', {
    forward,
    weight,
    upperThreshold,
    lowerThreshold,
    ...definedOnly(b),
  });
};

/** PATCH …/reals/{rid}: change only the fields given. */
export const patchReal: Handler = async (ctx, p, req) => {
  const b = validate(realSettingsSchema, await readJson(req));
  return edit(ctx, p.sid ?? '', p.rid ?? '', definedOnly(b));
};

/** DELETE …/reals/{rid}: no new connections; live ones run to their end. */
export const deleteReal: Handler = async (ctx, p, req) => {
  const sid = serviceIdParam(p.sid ?? '');
  const rid = realIdParam(p.rid ?? '', sid);
  validate(emptySchema, await readJson(req));
  try {
    ctx.director.removeReal(sid, rid);
  } catch (e) {
    throw toApiError(e, fieldOf(e));
  }
  return [200, { deleted: rid }];
};

function edit(
  ctx: ApiContext,
  sidText: string,
  ridText: string,
  patch: RealPatch,
): Promise<readonly [number, unknown]> {
  const sid = serviceIdParam(sidText);
  const rid = realIdParam(ridText, sid);
  if (patch.forward !== undefined) checkForward(ctx.engine, patch.forward);
  try {
    ctx.director.editReal(sid, rid, patch);
  } catch (e) {
    throw toApiError(e, fieldOf(e));
  }
  return Promise.resolve([200, realSnapshot(ctx, sid, rid)] as const);
}

function realSnapshot(ctx: ApiContext, sid: string, rid: string) {
  return realWithDrain(ctx, sid, rid);
}

interface RealPatch {
  weight?: number;
  forward?: 'masq' | 'route' | 'tunnel';
  upperThreshold?: number;
  lowerThreshold?: number;
}

/** exactOptionalPropertyTypes: keep only the fields the body has. */
function definedOnly(b: RealSettingsBody): RealPatch {
  const out: RealPatch = {};
  if (b.weight !== undefined) out.weight = b.weight;
  if (b.forward !== undefined) out.forward = b.forward;
  if (b.upperThreshold !== undefined) out.upperThreshold = b.upperThreshold;
  if (b.lowerThreshold !== undefined) out.lowerThreshold = b.lowerThreshold;
  return out;
}

function fieldOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'WF_ERR_DIRECTOR_NO_SERVICE') return 'service';
  if (code === 'WF_ERR_DIRECTOR_NO_REAL') return 'real';
  if (code === 'WF_ERR_DIRECTOR_DUPLICATE_REAL') return 'address';
  const msg = (e as Error).message ?? '';
  if (/threshold/.test(msg)) return /lower/.test(msg) ? 'lowerThreshold' : 'upperThreshold';
  if (/weight/.test(msg)) return 'weight';
  if (/port/.test(msg)) return 'port';
  return 'body';
}
