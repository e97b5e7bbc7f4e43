import { serviceId } from '../director/virtual-service.ts';
import { type CheckSpec, effectiveTimeout, LDIRECTORD_TIMING, WEBFARM_TIMING } from '../health/check-spec.ts';
import type { HealthPlan, ServiceHealth } from '../health/health-plan.ts';
import { PROBE_TYPES, type ProbeSettings, type ProbeType } from '../health/probe.ts';
import { WebfarmError } from '../model/errors.ts';
import type { CheckConfig, Config, ServiceConfig } from './schema.ts';

/**
 * The validated config's health parts → the HealthPlan (health-plan.ts): defaults from WEBFARM_TIMING,
 * or LDIRECTORD_TIMING with `health.ldirectord_defaults: true`; timeouts resolved as ldirectord does
 * (check-spec.ts effectiveTimeout). Pure.
 */
export function toHealthPlan(config: Config): HealthPlan {
  const h = config.health;
  const timing = h.ldirectord_defaults ? LDIRECTORD_TIMING : WEBFARM_TIMING;
  const webhook = h.alerts.webhook;
  return {
    global: {
      ...(h.maintenance_dir === undefined ? {} : { maintenanceDir: h.maintenance_dir }),
      ...(h.state_file === undefined ? {} : { stateFile: h.state_file }),
      startUp: h.start_up,
      alerts: {
        ...(webhook ? { webhook: { url: webhook.url, timeoutMs: webhook.timeout } } : {}),
        ...(h.alerts.command ? { command: h.alerts.command } : {}),
      },
    },
    services: config.services.map((s) => serviceHealth(s, timing)),
  };
}

function serviceHealth(s: ServiceConfig, timing: typeof WEBFARM_TIMING): ServiceHealth {
  const fb = s.fallback;
  return {
    serviceId: serviceId(s.protocol, s.address, s.port),
    ...(s.check ? { check: checkSpec(s.check, timing) } : {}),
    downAction: s.quiescent ? 'quiesce' : 'remove',
    ...(fb ? { fallback: { address: fb.address, port: fb.port ?? s.port } } : {}),
    ...(s.fallback_command ? { fallbackCommand: s.fallback_command } : {}),
  };
}

export function checkSpec(c: CheckConfig, timing: typeof WEBFARM_TIMING): CheckSpec {
  const type = PROBE_TYPES.find((t) => t === c.type);
  if (type === undefined) throw new WebfarmError('WF_ERR_CONFIG_INVALID', `unknown check type "${c.type}"`);
  return {
    type,
    intervalMs: c.interval ?? timing.intervalMs,
    timeoutMs: effectiveTimeout(
      type as ProbeType,
      { timeoutMs: c.timeout, negotiateTimeoutMs: c.negotiate_timeout },
      timing,
    ),
    fall: c.fall ?? c.failure_count ?? timing.fall,
    rise: c.rise ?? timing.rise,
    ...(c.port === undefined ? {} : { port: c.port }),
    settings: checkSettings(c),
  };
}

/** The probe settings of a `check:` block (only the keys given). */
export function checkSettings(c: CheckConfig): ProbeSettings {
  const out: { -readonly [K in keyof ProbeSettings]?: ProbeSettings[K] } = {};
  if (c.request !== undefined) out.request = c.request;
  if (c.receive !== undefined) out.receive = c.receive;
  if (c.method !== undefined) out.method = c.method;
  if (c.status !== undefined) out.status = c.status;
  if (c.virtualhost !== undefined) out.virtualhost = c.virtualhost;
  if (c.verify_tls !== undefined) out.verifyTls = c.verify_tls;
  if (c.login !== undefined) out.login = c.login;
  if (c.password !== undefined) out.password = c.password;
  if (c.database !== undefined) out.database = c.database;
  if (c.command !== undefined) out.command = c.command;
  if (c.record_type !== undefined) out.recordType = c.record_type;
  return out;
}
