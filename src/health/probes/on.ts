import type { ProbeFactory } from '../probe.ts';
import { unusedSettings } from './unused-settings.ts';

/** ldirectord checktype=on: always up, nothing is sent. */
export const onProbe: ProbeFactory = {
  type: 'on',
  summary: 'always up, no traffic',
  validate: (settings) => unusedSettings('on', settings),
  create: () => ({ type: 'on', run: async () => ({ ok: true, detail: 'on: not checked' }) }),
};
