import type { ProbeSettings } from '../probe.ts';

/** Config-side names of ProbeSettings fields (docs/config.md `check:` keys). */
const CONFIG_NAMES: Record<keyof ProbeSettings, string> = {
  request: 'request',
  receive: 'receive',
  method: 'method',
  status: 'status',
  virtualhost: 'virtualhost',
  verifyTls: 'verify_tls',
  login: 'login',
  password: 'password',
  database: 'database',
  command: 'command',
  recordType: 'record_type',
};

/** `field: <type> checks do not use it` for every setting given that a probe of `type` ignores. Pure. */
export function unusedSettings(
  type: string,
  settings: ProbeSettings,
  used: ReadonlyArray<keyof ProbeSettings> = [],
): string[] {
  return (Object.keys(CONFIG_NAMES) as Array<keyof ProbeSettings>)
    .filter((k) => settings[k] !== undefined && !used.includes(k))
    .map((k) => `${CONFIG_NAMES[k]}: ${type} checks do not use it`);
}
