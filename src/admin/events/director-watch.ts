import type { Director } from '../../director/director.ts';
import type { DirectorEvent } from '../../director/director-event.ts';
import type { RealServer } from '../../director/real-server.ts';
import type { VirtualService } from '../../director/virtual-service.ts';
import { type Cause, subjectOf } from './admin-event.ts';
import { currentCause } from './cause.ts';
import type { EventBus } from './event-bus.ts';

/** A field that changed: `{ from, to }`. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

type RealView = ReturnType<typeof realView>;
type ServiceView = ReturnType<typeof serviceView>;

/** Fields only the health checker writes; a change touching nothing else is the health checker's. */
const HEALTH_FIELDS = new Set(['health', 'healthReason', 'downAction', 'weight']);

/**
 * Publish every director event on the bus with what changed (a diff against the last view of the service
 * or real server) and its cause: a change of health fields only, or a fallback server coming or going, is
 * `health`; otherwise the cause the change ran under (cause.ts), else `config` (the only other writer).
 * Returns the unsubscribe function.
 */
export function watchDirector(director: Director, bus: EventBus): () => void {
  const services = new Map<string, ServiceView>();
  const reals = new Map<string, RealView>();
  for (const s of director.services.values()) {
    services.set(s.id, serviceView(s));
    for (const r of s.dests) reals.set(subjectOf(s.id, r.id), realView(r));
  }
  return director.on((e) => publish(e, bus, services, reals));
}

function publish(
  e: DirectorEvent,
  bus: EventBus,
  services: Map<string, ServiceView>,
  reals: Map<string, RealView>,
): void {
  const sid = e.service.id;
  switch (e.type) {
    case 'service-added': {
      const view = serviceView(e.service);
      services.set(sid, view);
      for (const r of e.service.dests) reals.set(subjectOf(sid, r.id), realView(r));
      bus.publish(e.type, sid, causeOf(false, false), { ...view, reals: e.service.dests.map((r) => r.id) });
      return;
    }
    case 'service-changed': {
      const view = serviceView(e.service);
      const changes = diff(services.get(sid), view);
      services.set(sid, view);
      bus.publish(e.type, sid, causeOf(false, false), { changes });
      return;
    }
    case 'service-removed':
      services.delete(sid);
      for (const key of [...reals.keys()]) if (key.startsWith(`${sid}/`)) reals.delete(key);
      bus.publish(e.type, sid, causeOf(false, false), {});
      return;
  }
  const subject = subjectOf(sid, e.real.id);
  const view = realView(e.real);
  if (e.type === 'real-added') {
    reals.set(subject, view);
    bus.publish(e.type, subject, causeOf(e.real.fallback, false), view);
  } else if (e.type === 'real-removed') {
    reals.delete(subject);
    const conns = { activeConns: e.real.activeConns, inactConns: e.real.inactConns };
    bus.publish(e.type, subject, causeOf(e.real.fallback, false), conns);
  } else {
    const changes = diff(reals.get(subject), view);
    reals.set(subject, view);
    const keys = Object.keys(changes);
    const healthOnly = keys.length > 0 && keys.every((k) => HEALTH_FIELDS.has(k));
    bus.publish(e.type, subject, causeOf(false, healthOnly), { changes, state: view });
  }
}

function causeOf(fallback: boolean, healthOnly: boolean): Cause {
  if (fallback || healthOnly) return { source: 'health' };
  return currentCause() ?? { source: 'config' };
}

function realView(r: RealServer) {
  return {
    weight: r.weight,
    configuredWeight: r.configuredWeight,
    forward: r.forward,
    upperThreshold: r.upperThreshold,
    lowerThreshold: r.lowerThreshold,
    health: r.health,
    healthReason: r.healthReason ?? null,
    downAction: r.downAction,
    admin: r.admin,
  };
}

function serviceView(s: VirtualService) {
  return {
    name: s.spec.name ?? null,
    scheduler: s.spec.scheduler,
    flags: s.spec.flags.join(','),
    persistence: s.spec.persistence ? `${s.spec.persistence.timeoutMs}ms/${s.spec.persistence.prefix}` : null,
    onePacket: s.spec.onePacket,
    proxyProtocol: s.spec.proxyProtocol,
  };
}

/** Fields whose value differs; every field when there is no earlier view. */
export function diff<T extends Record<string, unknown>>(before: T | undefined, after: T): Changes {
  const out: Changes = {};
  for (const [k, to] of Object.entries(after)) {
    const from = before?.[k];
    if (before === undefined || from !== to) out[k] = { from: from ?? null, to };
  }
  return out;
}
