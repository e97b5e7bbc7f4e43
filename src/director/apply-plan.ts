import type { FarmTable, PlanOp } from '../config/diff.ts';
import { type Engine, addServiceChecked } from '../engines/engine.ts';
import { WebfarmError } from '../model/errors.ts';
import type { Director } from './director.ts';
import type { RealServer, RealServerSpec } from './real-server.ts';

/**
 * Apply a reload's operations (config/diff.ts) to the running director, all or nothing. Adds of services
 * come first and wait for the engine's listener (addServiceChecked); if one fails, everything this call
 * applied is undone in reverse order and the error is rethrown — the running table is as it was. Changes
 * in place keep the RealServer objects (health, admin state, counters, connections). `health` operations
 * are the caller's (the health subsystem reconfigures after the table is final).
 *
 * Undo of an edit or an add is exact. A removal comes after every step that can fail (binding) and
 * after director validation, so its undo (re-adding from the old settings, admin state restored) only
 * runs if the director broke an invariant it checked before: best effort.
 */
export async function applyPlanOps(
  ops: readonly PlanOp[],
  director: Director,
  engine?: Engine,
): Promise<void> {
  const undo: Array<() => void> = [];
  try {
    for (const o of ops) await applyOne(o, director, engine, undo);
  } catch (e) {
    for (const u of undo.reverse()) {
      try {
        u();
      } catch {
        // keep undoing the rest; the original error is what the caller reports
      }
    }
    throw e;
  }
}

async function applyOne(o: PlanOp, d: Director, engine: Engine | undefined, undo: Array<() => void>) {
  switch (o.op) {
    case 'add-service': {
      if (engine) await addServiceChecked(d, engine, o.spec, o.reals);
      else d.addService(o.spec, o.reals);
      undo.push(() => d.removeService(o.serviceId));
      return;
    }
    case 'timeouts': {
      const prev = d.timeouts;
      d.timeouts = o.timeouts;
      undo.push(() => {
        d.timeouts = prev;
      });
      return;
    }
    case 'edit-service': {
      const prev = d.getService(o.serviceId).spec;
      d.editService(o.serviceId, o.spec);
      undo.push(() => d.editService(o.serviceId, prev));
      return;
    }
    case 'add-real': {
      d.addReal(o.serviceId, o.spec);
      undo.push(() => d.removeReal(o.serviceId, o.realId));
      return;
    }
    case 'edit-real': {
      const prev = realSettings(findReal(d, o.serviceId, o.realId));
      d.editReal(o.serviceId, o.realId, realSettings(o.spec));
      undo.push(() => d.editReal(o.serviceId, o.realId, prev));
      return;
    }
    case 'remove-real': {
      const r = d.removeReal(o.serviceId, o.realId);
      undo.push(() => restoreReal(d, o.serviceId, r));
      return;
    }
    case 'remove-service': {
      const svc = d.removeService(o.serviceId);
      const reals = svc.dests.filter((r) => !r.fallback);
      undo.push(() => {
        d.addService(svc.spec, reals.map(specOfReal).reverse());
        for (const r of reals) if (r.admin !== 'enabled') d.editReal(svc.id, r.id, { admin: r.admin });
      });
      return;
    }
    case 'health':
      return;
  }
}

/** The running director as a table to diff against: its services and reals, without fallback reals. */
export function tableOf(director: Director): FarmTable {
  return {
    timeouts: { ...director.timeouts },
    services: [...director.services.values()].map((s) => ({
      spec: s.spec,
      reals: s.dests.filter((r) => !r.fallback).map(specOfReal),
    })),
  };
}

export function specOfReal(r: RealServer): RealServerSpec {
  return {
    address: r.address,
    port: r.port,
    weight: r.configuredWeight,
    upperThreshold: r.upperThreshold,
    lowerThreshold: r.lowerThreshold,
    forward: r.forward,
  };
}

function realSettings(r: Pick<RealServerSpec, 'weight' | 'upperThreshold' | 'lowerThreshold' | 'forward'>) {
  return {
    weight: r.weight,
    upperThreshold: r.upperThreshold,
    lowerThreshold: r.lowerThreshold,
    forward: r.forward,
  };
}

function findReal(d: Director, sid: string, rid: string): RealServer {
  const r = d.getService(sid).findReal(rid);
  if (!r) throw new WebfarmError('WF_ERR_DIRECTOR_NO_REAL', `no real server ${rid} in ${sid}`);
  return r;
}

function restoreReal(d: Director, sid: string, r: RealServer): void {
  d.addReal(sid, specOfReal(r));
  if (r.admin !== 'enabled') d.editReal(sid, r.id, { admin: r.admin });
}
