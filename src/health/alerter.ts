import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/log.ts';
import type { Alert, SentAlert } from './alert.ts';
import type { CommandRunner } from './command-runner.ts';
import type { AlertsConfig } from './health-plan.ts';
import type { JsonPoster } from './webhook.ts';

export interface AlerterDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly runner: CommandRunner;
  readonly post: JsonPoster;
}

/**
 * Sends an alert: one structured log line always (`health-alert`, warn for down/fallback-in, info for
 * up/fallback-out), then — without waiting, failures logged and never fatal — the webhook POST (body:
 * the SentAlert as JSON) and the alert command (env WEBFARM_ALERT_KIND, _SERVICE, _REAL, _REASON, _AT).
 * Returns a promise that settles when both deliveries are done (tests await it; callers need not).
 */
export function sendAlert(a: Alert, config: AlertsConfig, deps: AlerterDeps): Promise<void> {
  const sent: SentAlert = { ...a, at: new Date(deps.clock.wallNow()).toISOString() };
  const level = a.kind === 'real-down' || a.kind === 'fallback-in' ? 'warn' : 'info';
  deps.log[level]('health-alert', { kind: a.kind, service: a.service, real: a.real, reason: a.reason });
  return Promise.all([webhook(sent, config, deps), command(sent, config, deps)]).then(() => undefined);
}

async function webhook(a: SentAlert, config: AlertsConfig, deps: AlerterDeps): Promise<void> {
  const hook = config.webhook;
  if (!hook) return;
  const r = await deps.post(hook.url, a, hook.timeoutMs);
  if (!r.ok) deps.log.error('health-alert-webhook-failed', { url: hook.url, kind: a.kind, error: r.error });
}

async function command(a: SentAlert, config: AlertsConfig, deps: AlerterDeps): Promise<void> {
  const argv = config.command;
  if (!argv) return;
  const r = await deps.runner.run(argv, { env: alertEnv(a) });
  if (r.code !== 0) {
    const why = r.error ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
    deps.log.error('health-alert-command-failed', { command: argv[0], kind: a.kind, error: why });
  }
}

export function alertEnv(a: SentAlert): Record<string, string> {
  return {
    WEBFARM_ALERT_KIND: a.kind,
    WEBFARM_ALERT_SERVICE: a.service,
    WEBFARM_ALERT_REAL: a.real ?? '',
    WEBFARM_ALERT_REASON: a.reason ?? '',
    WEBFARM_ALERT_AT: a.at,
  };
}
