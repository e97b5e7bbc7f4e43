import type { Probe, ProbeFactory } from '../probe.ts';
import { runHttp, validateHttp } from './http-common.ts';

/** `http`: one GET (or HEAD) over plain HTTP; rules in http-common.ts, settings in docs/health.md. */
export const httpProbe: ProbeFactory = {
  type: 'http',
  summary: 'HTTP request: up iff the status is 2xx (or `status`) and the body matches `receive`',
  validate: (settings, target) => validateHttp('http', settings, target),
  create: (): Probe => ({
    type: 'http',
    run: (target, settings, signal) => runHttp('http', target, settings, signal),
  }),
};
