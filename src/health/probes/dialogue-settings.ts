import type { ProbeSettings, ProbeType } from '../probe.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * Config-time rules shared by the dialogue probes (smtp, pop, imap, ftp, mysql, pgsql, redis, ldap): the
 * fields a probe reads, the ones it needs, and which hold a regex. Problems come out as `field: message`
 * with `field` the config key; unused fields are worded as every probe words them (unused-settings.ts).
 */
export type SettingsField = keyof ProbeSettings;

export interface SettingsRules {
  readonly type: ProbeType;
  /** Every field the probe reads; any other field set is reported as unused. */
  readonly reads: readonly SettingsField[];
  /** Fields that must be present and non-empty, with what they are for. */
  readonly requires?: Readonly<Partial<Record<SettingsField, string>>>;
  /** Fields holding a regex source that must compile. */
  readonly regex?: readonly SettingsField[];
  /** `password` only makes sense with `login` (true for user/password logins). */
  readonly passwordNeedsLogin?: boolean;
}

export function checkSettings(
  rules: SettingsRules,
  settings: ProbeSettings,
  target: { protocol: 'tcp' | 'udp' },
): string[] {
  const problems: string[] = [];
  if (target.protocol !== 'tcp') problems.push(`protocol: the ${rules.type} check needs a TCP service`);
  problems.push(...unusedSettings(rules.type, settings, rules.reads));
  for (const [field, why] of Object.entries(rules.requires ?? {}) as [SettingsField, string][]) {
    const v = settings[field];
    if (v === undefined || v === '') problems.push(`${field}: required by the ${rules.type} check (${why})`);
  }
  for (const field of rules.regex ?? []) {
    const source = settings[field];
    if (typeof source === 'string') {
      const bad = regexProblem(source);
      if (bad !== undefined) problems.push(`${field}: ${bad}`);
    }
  }
  for (const field of ['login', 'password', 'database'] as const) {
    if (/[\r\n\0]/.test(settings[field] ?? '')) problems.push(`${field}: must not contain CR, LF or NUL`);
  }
  if (rules.passwordNeedsLogin && settings.password !== undefined && !settings.login) {
    problems.push(`password: set without login for the ${rules.type} check`);
  }
  return problems;
}

/** Why `source` is not a usable regex, or undefined when it compiles. */
export function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    return `invalid regex ${JSON.stringify(source)}: ${(e as Error).message}`;
  }
}
