import { isIP } from 'node:net';
import { z } from 'zod';
import { PASSIVE_DEFAULTS } from '../health/passive/outlier.ts';
import { REAL_DEFAULTS } from '../director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../director/timeouts.ts';
import { MH_DEFAULT_TABLE_SIZE } from '../scheduler/maglev-table.ts';
import { SERVICE_DEFAULTS } from '../director/virtual-service.ts';
import { normalizeAddress, parseEndpoint } from '../model/endpoint.ts';
import { clusterSchema } from './cluster-schema.ts';
import { durationMs, intIn, ipAddress, port, text } from './fields.ts';
import { describeValue } from './zod-issues.ts';

/**
 * The native config file (docs/config.md). Keys are snake_case; every mapping is strict (an unknown key is
 * an error naming it). Defaults come from the director's SERVICE_DEFAULTS / REAL_DEFAULTS /
 * DEFAULT_TIMEOUTS. Durations come out as milliseconds, addresses in canonical form. Checks that span
 * several fields (duplicates, scheduler flags, thresholds, netmask family) are in semantic.ts.
 */

export const ENGINES = ['proxy', 'nft'] as const;
export const PROTOCOLS = ['tcp', 'udp'] as const;
export const PROXY_PROTOCOLS = ['off', 'v1', 'v2'] as const;
/** Forwarding methods an operator may ask for; which ones an engine supports is the engine's check. */
export const FORWARD_METHODS = ['masq', 'route', 'tunnel'] as const;
export const NUMGEN_MODES = ['inc', 'random'] as const;

/** ipvsadm -x/-y take 0..INT_MAX. */
const THRESHOLD_MAX = 2_147_483_647;

const timeoutsSchema = z
  .strictObject({
    tcp: durationMs(1).default(DEFAULT_TIMEOUTS.tcpMs),
    tcpfin: durationMs(1).default(DEFAULT_TIMEOUTS.tcpFinMs),
    udp: durationMs(1).default(DEFAULT_TIMEOUTS.udpMs),
  })
  .prefault({});

const adminSchema = z
  .strictObject({
    socket: text().optional(),
    /** Runtime state file (docs/operations.md); `false` = none. Absent: `state.json` beside the socket. */
    state_file: z.union([text(), z.literal(false)]).optional(),
    /** Optional TCP listener for the API and dashboard, ADDRESS:PORT; needs token_file. */
    listen: z
      .string()
      .refine(
        (v) => {
          const e = parseEndpoint(v);
          return e.ok && e.value.port > 0;
        },
        {
          error: (iss) => `"${String(iss.input)}" is not ADDRESS:PORT`,
        },
      )
      .optional(),
    /** Bearer token for the TCP listener: a file of mode 0600/0400 holding at least 16 characters. */
    token_file: text().optional(),
  })
  .refine((a) => (a.listen === undefined) === (a.token_file === undefined), {
    error: 'listen and token_file go together: the TCP listener never runs without a token',
    path: ['listen'],
  })
  .prefault({});

/** `true` = persistent with the default timeout; `false` or absent = not persistent. */
const persistenceSchema = z.preprocess(
  (v) => (v === true ? {} : v === false ? undefined : v),
  z
    .strictObject(
      {
        timeout: durationMs(1000).default(SERVICE_DEFAULTS.persistenceTimeoutMs),
        /** Dotted IPv4 mask or a prefix length; checked against the address family in semantic.ts. */
        netmask: z.union([z.string(), z.number()]).transform(String).optional(),
      },
      { error: expectedMapping('true, false or a mapping {timeout, netmask}') },
    )
    .optional(),
);

const connectSchema = z
  .strictObject({
    timeout: durationMs(1).default(SERVICE_DEFAULTS.connect.timeoutMs),
    retries: intIn(0, 100).default(SERVICE_DEFAULTS.connect.retries),
    redispatch: z.boolean().default(SERVICE_DEFAULTS.connect.redispatch),
  })
  .prefault({});

/** Passive health (outlier ejection, docs/passive-health.md): absent = off, `{}` or `true` = defaults. */
const passiveSchema = z.preprocess(
  (v) => (v === true ? {} : v),
  z
    .strictObject({
      consecutive_failures: intIn(1, 1000).default(PASSIVE_DEFAULTS.consecutiveFailures),
      base_ejection_time: durationMs(1).default(PASSIVE_DEFAULTS.baseEjectionMs),
      max_ejection_time: durationMs(1).default(PASSIVE_DEFAULTS.maxEjectionMs),
      max_ejection_percent: intIn(0, 100).default(PASSIVE_DEFAULTS.maxEjectionPercent),
    })
    .refine((p) => p.max_ejection_time >= p.base_ejection_time, {
      error: 'max_ejection_time must be at least base_ejection_time',
      path: ['max_ejection_time'],
    }),
);

const realObjectSchema = z.strictObject(
  {
    address: ipAddress(),
    /** Absent: the virtual service's port (as ipvsadm -r without a port). */
    port: port().optional(),
    weight: intIn(0, 65535).default(REAL_DEFAULTS.weight),
    upper_threshold: intIn(0, THRESHOLD_MAX).default(REAL_DEFAULTS.upperThreshold),
    lower_threshold: intIn(0, THRESHOLD_MAX).default(REAL_DEFAULTS.lowerThreshold),
    forward: z.enum(FORWARD_METHODS).default(REAL_DEFAULTS.forward),
  },
  { error: expectedMapping('a mapping {address, port, weight, ...} or "ADDRESS:PORT"') },
);

/** A list entry may be the shorthand string "ADDRESS", "ADDRESS:PORT" or "[IPV6]:PORT". */
const realServerSchema = z.preprocess(expandRealShorthand, realObjectSchema);

/** A command: a path (ldirectord style, no arguments) or an argv list. Never run through a shell. */
const commandSchema = z
  .union([text(), z.array(text()).min(1, { error: 'must list at least the program' })])
  .transform((v) => (typeof v === 'string' ? [v] : v));

/**
 * A service's `check:` block (ldirectord checktype/service and their settings). Durations and counts
 * without a value take the health defaults (to-director.ts); `type` is checked in health-semantic.ts.
 */
const checkSchema = z.strictObject({
  type: z.string(),
  interval: durationMs(1).optional(),
  timeout: durationMs(1).optional(),
  negotiate_timeout: durationMs(1).optional(),
  fall: intIn(1, 1000).optional(),
  /** ldirectord's name for `fall`. */
  failure_count: intIn(1, 1000).optional(),
  rise: intIn(1, 1000).optional(),
  /** ldirectord checkport. */
  port: intIn(1, 65535).optional(),
  request: z.string().optional(),
  receive: z.string().optional(),
  method: z.enum(['GET', 'HEAD']).optional(),
  status: intIn(100, 599).optional(),
  virtualhost: text().optional(),
  verify_tls: z.boolean().optional(),
  login: z.string().optional(),
  password: z.string().optional(),
  database: z.string().optional(),
  command: text().optional(),
  record_type: text().optional(),
});

/** ldirectord fallback=ip[:port]: "ADDRESS" (the service's port) or "ADDRESS:PORT" / "[V6]:PORT". */
const fallbackSchema = z.string().transform((v, ctx) => {
  if (isIP(v) !== 0) return { address: normalizeAddress(v), port: undefined };
  const e = parseEndpoint(v);
  if (e.ok && e.value.port > 0) return { address: e.value.address, port: e.value.port as number | undefined };
  ctx.addIssue({ code: 'custom', input: v, message: `"${v}" is not ADDRESS or ADDRESS:PORT` });
  return z.NEVER;
});

const serviceSchema = z.strictObject({
  /** A label for status output and the admin API; unique when given. */
  name: text().optional(),
  protocol: z.enum(PROTOCOLS).default('tcp'),
  address: ipAddress(),
  port: port(),
  /** Checked against SCHEDULER_NAMES in semantic.ts (for a better message). */
  scheduler: z.string().default(SERVICE_DEFAULTS.scheduler),
  scheduler_flags: z.array(z.string()).default([]),
  persistence: persistenceSchema,
  expire_quiescent_template: z.boolean().default(false),
  one_packet: z.boolean().default(false),
  /** YAML `false` is read as `off`. */
  proxy_protocol: z.preprocess((v) => (v === false ? 'off' : v), z.enum(PROXY_PROTOCOLS)).default('off'),
  connect: connectSchema,
  real_servers: z.array(realServerSchema).default([]),
  check: checkSchema.optional(),
  /** ldirectord quiescent: a down real keeps its place at weight 0 instead of being removed. */
  quiescent: z.boolean().default(false),
  fallback: fallbackSchema.optional(),
  fallback_command: commandSchema.optional(),
  passive_health: passiveSchema.optional(),
  /** nft engine, NAT services: SNAT to the director (real servers need not route via it); absent = nft.masquerade. */
  masquerade: z.boolean().optional(),
});

const webhookSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { url: v } : v),
  z.strictObject({
    url: z.string().refine((u) => /^https?:\/\/[^\s]+$/.test(u) && URL.canParse(u), {
      error: (iss) => `"${String(iss.input)}" is not an http:// or https:// URL`,
    }),
    timeout: durationMs(1).default(2000),
  }),
);

const healthSchema = z
  .strictObject({
    maintenance_dir: text().optional(),
    state_file: text().optional(),
    start_up: z.boolean().default(false),
    ldirectord_defaults: z.boolean().default(false),
    alerts: z
      .strictObject({ webhook: webhookSchema.optional(), command: commandSchema.optional() })
      .prefault({}),
  })
  .prefault({});

/** Settings of the nft engine (docs/nft-engine.md, NftEngineOptions); only with `engine: nft`. */
const nftSchema = z.strictObject({
  /** Direct routing: the device holding the VIP; absent = found from the VIP's address or the route. */
  device: text().optional(),
  /** Table name in the inet and netdev families (nft identifier). */
  table: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, {
      error: (iss) => `"${String(iss.input)}" is not an nft table name (a letter, then letters, digits, _)`,
    })
    .default('webfarm'),
  /** rr/wrr/fo: `inc` = the LVS order, `random` = weighted random. */
  numgen: z.enum(NUMGEN_MODES).default('inc'),
  /** mh lookup-table size: one of the kernel's primes (checked in semantic.ts). */
  mh_table_size: intIn(1, 1_000_000).default(MH_DEFAULT_TABLE_SIZE),
  /** Counter polling into status/metrics; 0 = never (only on demand). */
  stats_interval: durationMs(0).default(2000),
  /** Default of every NAT service's `masquerade`. */
  masquerade: z.boolean().default(false),
});

export const configSchema = z.strictObject({
  engine: z.enum(ENGINES).default('proxy'),
  nft: nftSchema.optional(),
  timeouts: timeoutsSchema,
  admin: adminSchema,
  health: healthSchema,
  services: z.array(serviceSchema),
  /** Heartbeat between directors (cluster-schema.ts); absent = a single director. */
  cluster: clusterSchema.optional(),
});

export { nftSchema, realServerSchema, serviceSchema };
export type Config = z.output<typeof configSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type RealServerConfig = ServiceConfig['real_servers'][number];
export type CheckConfig = NonNullable<ServiceConfig['check']>;
export type HealthConfig = Config['health'];
export type NftConfig = NonNullable<Config['nft']>;

function expandRealShorthand(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (isIP(v) !== 0) return { address: v };
  const e = parseEndpoint(v);
  return e.ok ? { address: e.value.address, port: e.value.port } : v;
}

/** Schema-level message for a value that should have been a mapping (other issues keep their own). */
function expectedMapping(what: string) {
  return (iss: { code?: string; input?: unknown }) =>
    iss.code === 'invalid_type' && iss.input !== undefined
      ? `expected ${what}, got ${describeValue(iss.input)}`
      : undefined;
}
