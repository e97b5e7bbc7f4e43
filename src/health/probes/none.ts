import type { ProbeFactory } from '../probe.ts';
import { unusedSettings } from './unused-settings.ts';

/** ldirectord service=none (2000): servers are marked up without checking; the same as on. */
export const noneProbe: ProbeFactory = {
  type: 'none',
  summary: 'always up, no traffic',
  validate: (settings) => unusedSettings('none', settings),
  create: () => ({ type: 'none', run: async () => ({ ok: true, detail: 'none: not checked' }) }),
};
