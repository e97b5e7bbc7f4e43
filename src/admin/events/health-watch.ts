import type { HealthEvent, HealthSubsystem } from '../../health/health-subsystem.ts';
import { type Cause, subjectOf } from './admin-event.ts';
import type { EventBus } from './event-bus.ts';

const HEALTH: Cause = { source: 'health' };

/**
 * Publish the health checker's transitions, fallback changes and alerts (not its per-check reports: those
 * are not state changes). Returns the unsubscribe function.
 */
export function watchHealth(health: Pick<HealthSubsystem, 'on'>, bus: EventBus): () => void {
  return health.on((e) => publishHealth(e, bus));
}

export function publishHealth(e: HealthEvent, bus: EventBus): void {
  if (e.type === 'transition') {
    bus.publish('health-transition', subjectOf(e.serviceId, e.realId), HEALTH, {
      from: e.from,
      to: e.to,
      reason: e.reason ?? null,
    });
  } else if (e.type === 'fallback') {
    bus.publish('health-fallback', e.serviceId, HEALTH, { active: e.active });
  } else if (e.type === 'alert') {
    const a = e.alert;
    bus.publish('health-alert', subjectOf(a.service, a.real), HEALTH, {
      kind: a.kind,
      reason: a.reason ?? null,
    });
  }
}
