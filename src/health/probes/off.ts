import type { ProbeFactory } from '../probe.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * ldirectord checktype=off: no checking at all. The health subsystem creates no check for a service with
 * `off` (its real servers keep health `unknown`, which counts as available, and no fallback is managed);
 * this factory exists so the type validates and appears in the registry. If run anyway it reports up.
 */
export const offProbe: ProbeFactory = {
  type: 'off',
  summary: 'no checking: servers stay as configured',
  validate: (settings) => unusedSettings('off', settings),
  create: () => ({ type: 'off', run: async () => ({ ok: true, detail: 'off: not checked' }) }),
};
