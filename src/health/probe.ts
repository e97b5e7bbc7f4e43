/**
 * The probe contract (ldirectord checktype/service, seed-system §3.5). A probe runs ONE check of one real
 * server and says up or down; it never retries, never damps (dampener.ts does that) and never schedules
 * itself (monitor.ts does that). It must finish, or give up, when `signal` aborts: the monitor aborts it at
 * the check timeout and treats the abort as a failure. A probe never throws for an expected failure
 * (refused, timeout, bad answer): that is `{ ok: false, reason }`. A thrown error is a bug; the monitor
 * catches it, counts it as a failure and keeps running.
 */
export const PROBE_TYPES = [
  'connect',
  'http',
  'https',
  'external',
  'dns',
  'smtp',
  'pop',
  'imap',
  'ftp',
  'mysql',
  'pgsql',
  'redis',
  'ldap',
  'tcp',
  'udp',
  'none',
  'on',
  'off',
] as const;
export type ProbeType = (typeof PROBE_TYPES)[number];

export type ProbeResult = { ok: true; detail?: string } | { ok: false; reason: string };

/** Where to check and on behalf of which virtual service (external checks get vip vport rip rport). */
export interface ProbeTarget {
  readonly protocol: 'tcp' | 'udp';
  /** The real server's address and the port to check (checkport, default the real server's port). */
  readonly address: string;
  readonly port: number;
  readonly virtualAddress: string;
  readonly virtualPort: number;
}

/**
 * Per-check settings, the union of what the probe types read (ldirectord vocabulary). Each probe documents
 * which fields it uses; unknown combinations are rejected at config time by the probe's `validate`.
 */
export interface ProbeSettings {
  /** http(s): path; dns: the name to query; sql: the query; tcp/udp: bytes to send (`\n` expanded). */
  readonly request?: string;
  /** Regex source the answer must match (empty/absent = any successful answer). */
  readonly receive?: string;
  /** http(s): GET or HEAD. */
  readonly method?: 'GET' | 'HEAD';
  /** http(s): expected status; absent = any 2xx (ldirectord). */
  readonly status?: number;
  /** http(s): Host header and TLS SNI. */
  readonly virtualhost?: string;
  /** https: verify the certificate (off by default, as ldirectord). */
  readonly verifyTls?: boolean;
  readonly login?: string;
  readonly password?: string;
  readonly database?: string;
  /** external: argv[0] (run with vip vport rip rport appended; never through a shell). */
  readonly command?: string;
  /** dns: record type (A, AAAA, PTR, ...). */
  readonly recordType?: string;
}

export interface Probe {
  readonly type: ProbeType;
  run(target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal): Promise<ProbeResult>;
}

export interface ProbeFactory {
  readonly type: ProbeType;
  readonly summary: string;
  /**
   * Config-time validation: a list of problems as `field: message` (empty = valid), `field` being the
   * config key (`receive`, `verify_tls`, ...). Pure. `family` is the real servers' address family (the
   * config calls validate once per family present).
   */
  validate(settings: ProbeSettings, target: { protocol: 'tcp' | 'udp'; family?: 4 | 6 }): string[];
  /** Address families the probe can reach; absent = both. Checked against each real at config time. */
  readonly families?: ReadonlyArray<4 | 6>;
  create(): Probe;
}
