import type { Probe, ProbeFactory } from '../probe.ts';
import { runHttp, validateHttp } from './http-common.ts';

/**
 * `https`: the http check over TLS; SNI = `virtualhost` when it is a name; the certificate is not verified
 * unless `verifyTls` (ldirectord never verified). Rules in http-common.ts.
 */
export const httpsProbe: ProbeFactory = {
  type: 'https',
  summary: 'HTTPS request (certificate unverified unless verifyTls): like http, over TLS with SNI',
  validate: (settings, target) => validateHttp('https', settings, target),
  create: (): Probe => ({
    type: 'https',
    run: (target, settings, signal) => runHttp('https', target, settings, signal),
  }),
};
