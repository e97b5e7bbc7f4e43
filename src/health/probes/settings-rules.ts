import type { ProbeSettings, ProbeType } from '../probe.ts';

/**
 * Config-time checks shared by the http, https, tcp, udp, dns and external probes (fields they do not read
 * are reported by unused-settings.ts). Problems come out as `field: message`.
 */
export type SettingName = keyof ProbeSettings;

/** A problem when `field` is absent or empty. */
export function required(
  type: ProbeType,
  settings: ProbeSettings,
  field: SettingName,
  why: string,
): string[] {
  const v = settings[field];
  return v === undefined || v === '' ? [`${field}: required by the ${type} check (${why})`] : [];
}

/** A problem when `settings.receive` is set and does not compile as a JavaScript regex. */
export function receiveProblems(settings: ProbeSettings): string[] {
  const source = settings.receive;
  if (source === undefined || source === '') return [];
  try {
    new RegExp(source);
    return [];
  } catch (e) {
    // Worded as config/health-semantic.ts words it, so `webfarm check` shows the problem once.
    const why = (e as Error).message.replace(/^Invalid regular expression: /, '');
    return [`receive: invalid regular expression: ${why}`];
  }
}

/**
 * The `receive` pattern, or undefined when absent or empty (any answer will do). Compiled without flags,
 * as ldirectord's Perl `=~ /$receive/`. Call only on validated settings (an invalid pattern throws).
 */
export function receivePattern(settings: ProbeSettings): RegExp | undefined {
  return settings.receive ? new RegExp(settings.receive) : undefined;
}
