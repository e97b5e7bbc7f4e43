import { snapshotDirector } from '../../director/snapshot.ts';
import type { DirectorSnapshot, RealServerSnapshot, ServiceSnapshot } from '../../director/snapshot.ts';
import type { DrainView } from '../drain/drain-manager.ts';
import { ApiError } from '../http.ts';
import type { ApiContext } from './context.ts';

/** A real server as the API shows it: the director snapshot plus its drain (null when none). */
export type RealView = RealServerSnapshot & { drain: DrainView | null };
export type ServiceView = Omit<ServiceSnapshot, 'reals'> & { reals: RealView[] };

export function decorateService(ctx: ApiContext, s: ServiceSnapshot): ServiceView {
  return {
    ...s,
    reals: s.reals.map((r) => ({ ...r, drain: ctx.runtime.drains.status(s.id, r.id) ?? null })),
  };
}

export function decoratedSnapshot(
  ctx: ApiContext,
): Omit<DirectorSnapshot, 'services'> & { services: ServiceView[] } {
  const snap = snapshotDirector(ctx.director);
  return { ...snap, services: snap.services.map((s) => decorateService(ctx, s)) };
}

export function serviceView(ctx: ApiContext, id: string): ServiceView {
  const s = decoratedSnapshot(ctx).services.find((x) => x.id === id);
  if (!s) throw new ApiError(404, 'WF_ERR_DIRECTOR_NO_SERVICE', `no virtual service ${id}`, 'service');
  return s;
}

export function realWithDrain(ctx: ApiContext, sid: string, rid: string): RealView {
  const r = serviceView(ctx, sid).reals.find((x) => x.id === rid);
  if (!r) throw new ApiError(404, 'WF_ERR_DIRECTOR_NO_REAL', `no real server ${rid} in ${sid}`, 'real');
  return r;
}
