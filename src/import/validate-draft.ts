import { type ConfigIssue, sortIssues } from '../config/issue.ts';
import { type ParseOptions, parseConfig } from '../config/load.ts';
import type { ProbeFactory } from '../health/probe.ts';
import { probeFactory } from '../health/probe-registry.ts';
import { externalProbe } from '../health/probes/external.ts';
import { required } from '../health/probes/settings-rules.ts';
import { unusedSettings } from '../health/probes/unused-settings.ts';
import { type Draft, placeFinder } from './draft.ts';

/**
 * Run the native validator (config/load.ts) on an importer's rendered output, with every host-dependent
 * check neutralised (files executable, both address families present, devices and key files fine):
 * those are facts of the director the config will run on, checked there by `webfarm check`. Each problem
 * is reported at the legacy file's line the offending value came from, keeping the native message (which
 * names the output field).
 */
export const NEUTRAL_HOST: ParseOptions = {
  isExecutable: () => true,
  hostFamilies: new Set([4, 6]),
  probeFactories: (type) => (type === 'external' ? externalAnywhere : probeFactory(type)),
  clusterHost: 'skip',
};

/** The external probe without its "the command exists here" check (a fact of the director, not the file). */
const externalAnywhere: ProbeFactory = {
  ...externalProbe,
  validate: (settings) => [
    ...unusedSettings('external', settings, ['command']),
    ...required('external', settings, 'command', 'the program to run'),
  ],
};

export function validateDraft(
  draft: Draft,
  rendered: string,
  options: ParseOptions = NEUTRAL_HOST,
): ConfigIssue[] {
  const r = parseConfig(rendered, '<import>', options);
  if (r.ok) return [];
  const find = placeFinder(rendered, draft.origins);
  return sortIssues(
    r.issues.map((i) => {
      const p = find(i.line);
      const message = `${i.message} (in the imported config)`;
      return p === undefined ? { file: '<import>', line: i.line, col: i.col, message } : { ...p, message };
    }),
  );
}
