import type { Director } from '../director/director.ts';
import { REAL_DEFAULTS } from '../director/real-server.ts';
import type { Logger } from '../platform/log.ts';
import type { Alert } from './alert.ts';
import type { CommandRunner } from './command-runner.ts';
import type { HealthOp } from './consequences.ts';

export interface ApplyDeps {
  readonly director: Director;
  readonly runner: CommandRunner;
  readonly log: Logger;
  readonly alert: (a: Alert) => void;
  readonly setFallbackActive: (active: boolean) => void;
}

/**
 * Carry out consequences.ts's operations on one service: the thin effectful side. A real set down while
 * its downAction is `remove` also loses its persistence templates now (they would otherwise be skipped
 * one lookup at a time); its live proxied connections are left to finish, unlike the kernel with
 * expire_nodest_conn=1. Commands run in the background; their failures are logged.
 */
export function applyOps(serviceId: string, ops: readonly HealthOp[], deps: ApplyDeps): void {
  const svc = deps.director.services.get(serviceId);
  if (!svc) return;
  for (const o of ops) {
    switch (o.op) {
      case 'set-health': {
        const r = deps.director.editReal(serviceId, o.realId, {
          health: o.health,
          healthReason: o.reason ?? null,
        });
        if (o.health === 'down' && r.downAction === 'remove') svc.templates?.dropDest(r);
        break;
      }
      case 'add-fallback': {
        const spec = { ...REAL_DEFAULTS, address: o.address, port: o.port, weight: 1, fallback: true };
        deps.director.addReal(serviceId, spec);
        break;
      }
      case 'remove-fallback':
        if (svc.findReal(o.realId)?.fallback) deps.director.removeReal(serviceId, o.realId);
        break;
      case 'fallback-active':
        deps.setFallbackActive(o.active);
        break;
      case 'run':
        void runLogged(o.argv, deps);
        break;
      case 'alert':
        deps.alert(o.alert);
        break;
    }
  }
}

async function runLogged(argv: readonly string[], deps: ApplyDeps): Promise<void> {
  deps.log.info('health-command', { command: argv.join(' ') });
  const r = await deps.runner.run(argv);
  if (r.code === 0) return;
  const why = r.error ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
  deps.log.error('health-command-failed', { command: argv.join(' '), error: why });
}
