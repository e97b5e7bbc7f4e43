/**
 * One record of the event stream (`GET /v1/events`, docs/api.md "Events"). Every state change the admin
 * side can see becomes one of these: director table changes, health transitions, passive ejections, drain
 * progress.
 */
export interface AdminEvent {
  /** Increasing from 1 within one director run; the SSE `id:` (Last-Event-ID resumes after it). */
  readonly id: number;
  /** Wall-clock ISO 8601. */
  readonly time: string;
  readonly type: AdminEventType;
  /** What changed: a service id (`tcp:192.0.2.1:80`) or service/real (`tcp:192.0.2.1:80/10.0.0.1:80`). */
  readonly subject: string;
  readonly cause: Cause;
  readonly data: Readonly<Record<string, unknown>>;
}

export const ADMIN_EVENT_TYPES = [
  'service-added',
  'service-changed',
  'service-removed',
  'real-added',
  'real-changed',
  'real-removed',
  'health-transition',
  'health-fallback',
  'health-alert',
  'passive-ejected',
  'passive-eject-capped',
  'passive-returned',
  'drain-started',
  'drain-progress',
  'drain-finished',
  'drain-cancelled',
] as const;

export type AdminEventType = (typeof ADMIN_EVENT_TYPES)[number];

/**
 * Who made the change. `api`: an admin API request (detail: method and path; ipvsadm and the CLI are API
 * clients); `config`: the configuration (start, reload); `health`: the health checker; `passive`: the proxy
 * engine's passive health; `drain`: the drain workflow acting on its own (removal after draining).
 */
export interface Cause {
  readonly source: 'api' | 'config' | 'health' | 'passive' | 'drain';
  readonly detail?: string;
}

export const subjectOf = (serviceId: string, realId?: string): string =>
  realId === undefined ? serviceId : `${serviceId}/${realId}`;
