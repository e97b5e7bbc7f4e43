import type { ConnectPolicy } from '../../director/virtual-service.ts';

/**
 * What to do after a connect attempt to a real server was refused or timed out (HAProxy `retries` and
 * `option redispatch`). `attemptsMade` counts every attempt so far, the failed one included.
 *
 * - more than `retries` further attempts already made → give up (the client is reset, svc.refused++);
 * - `redispatch` → reschedule, excluding every server that already failed this connection (a
 *   persistence template pointing at one of them is bypassed, see VirtualService.schedule);
 * - otherwise → retry the same server.
 */
export type RetryStep = 'give-up' | 'reschedule' | 'same-server';

export function afterConnectFailure(policy: ConnectPolicy, attemptsMade: number): RetryStep {
  if (attemptsMade > policy.retries) return 'give-up';
  return policy.redispatch ? 'reschedule' : 'same-server';
}
