import { hostname } from 'node:os';
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { AUTH_METHODS } from '../cluster/auth.ts';
import { durationMs, intIn, ipAddress, port, text } from './fields.ts';

/**
 * The `cluster:` section of the native config (docs/config.md "cluster"): heartbeat between directors
 * (seed-system.md §2). Every mapping is strict. Timing values stay undefined when not written, so
 * membership/timing.ts's rule (warntime and initdead follow a given deadtime) applies; the cross-field
 * rules (nodes, timing order, devices, key files) are in cluster-semantic.ts.
 */

/** heartbeat's udpport (`ha-cluster`, 694). */
export const HA_CLUSTER_PORT = 694;
/** The serial speeds heartbeat accepts (seed-system.md §2.3). */
export const SERIAL_BAUDS = [9600, 19200, 38400, 57600, 115200, 230400, 460800] as const;
/** IPaddr2's gratuitous ARP defaults (seed-system.md §2.9): 5 packets, 200 ms apart. */
export const ARP_DEFAULTS = { count: 5, intervalMs: 200 } as const;
/** Later heartbeat's STONITH retry (hb_resource.c): every 5 s until a reset succeeds. */
export const STONITH_RETRY_MS = 5000;

const nodeName = () =>
  text().refine((s) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s), {
    error: (iss) => `"${String(iss.input)}" is not a node name (letters, digits, ".", "_", "-")`,
  });

const udpPort = () => port().default(HA_CLUSTER_PORT);

const mediumSchema = z.discriminatedUnion(
  'type',
  [
    /** heartbeat `ucast dev peer`: a peer naming one of our own addresses is skipped (one file fits all). */
    z.strictObject({ type: z.literal('ucast'), device: text(), peer: ipAddress(), port: udpPort() }),
    /** heartbeat `bcast dev`. */
    z.strictObject({ type: z.literal('bcast'), device: text(), port: udpPort() }),
    /** heartbeat `mcast dev group port ttl loop`. */
    z.strictObject({
      type: z.literal('mcast'),
      device: text(),
      group: z.string().refine(isMulticastGroup, {
        error: (iss) => `"${String(iss.input)}" is not an IPv4 multicast group (224.0.0.0/4)`,
      }),
      port: udpPort(),
      ttl: intIn(1, 255).default(1),
      loop: z.boolean().default(false),
    }),
    /** heartbeat `serial /dev/ttyS0` (+ `baud`); absent baud = the serial medium's default. */
    z.strictObject({
      type: z.literal('serial'),
      device: text(),
      baud: z
        .number()
        .refine((b) => (SERIAL_BAUDS as readonly number[]).includes(b), {
          error: (iss) => `${String(iss.input)} is not one of: ${SERIAL_BAUDS.join(', ')}`,
        })
        .optional(),
    }),
  ],
  { error: mediumTypeError },
);

const timingSchema = z
  .strictObject({
    keepalive: durationMs(1).optional(),
    warntime: durationMs(1).optional(),
    deadtime: durationMs(1).optional(),
    initdead: durationMs(1).optional(),
  })
  .prefault({});

/** One secret: inline `key`, a `key_file` holding it, or a heartbeat `authkeys_file` (all its ids). */
const authSchema = z
  .strictObject({
    method: z.enum(AUTH_METHODS).default('sha256'),
    key: z.string().optional(),
    key_file: text().optional(),
    authkeys_file: text().optional(),
  })
  .refine((a) => [a.key, a.key_file, a.authkeys_file].filter((v) => v !== undefined).length <= 1, {
    error: 'give one of key, key_file, authkeys_file',
  });

/** `ipaddr: 192.0.2.240` or `ipaddr: 192.0.2.240/24` is short for `{address, prefix}`. */
const ipaddrSchema = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const [address, prefix] = v.split('/');
    return prefix === undefined ? { address } : { address, prefix: Number(prefix) };
  },
  z.strictObject({
    address: ipAddress(),
    /** Absent: from the route to the address, as heartbeat's findif. */
    prefix: intIn(0, 128).optional(),
    /** Absent: the device that routes the address. */
    device: text().optional(),
    arp_count: intIn(0, 100).default(ARP_DEFAULTS.count),
    arp_interval: durationMs(1).default(ARP_DEFAULTS.intervalMs),
  }),
);

const scriptSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { path: v } : v),
  z.strictObject({ path: text(), args: z.array(z.string()).default([]) }),
);

/** Exactly one of: a floating address, the director's services, an LSB-style script. */
const resourceSchema = z
  .strictObject({
    ipaddr: ipaddrSchema.optional(),
    services: z
      .literal(true, { error: "services: must be true (the director's services start with the group)" })
      .optional(),
    script: scriptSchema.optional(),
  })
  .refine((r) => [r.ipaddr, r.services, r.script].filter((v) => v !== undefined).length === 1, {
    error: 'a resource is exactly one of ipaddr, services, script',
  });

const groupSchema = z.strictObject({
  /** The node that owns the group when it is up (haresources' first word). */
  preferred: nodeName(),
  resources: z.array(resourceSchema).min(1, { error: 'a resource group needs at least one resource' }),
});

/** A command: a path or an argv list; never run through a shell. */
const argvSchema = z
  .union([text(), z.array(text()).min(1, { error: 'must list at least the program' })])
  .transform((v) => (typeof v === 'string' ? [v] : v));

export const clusterSchema = z.strictObject({
  /** This director's name; default `uname -n`, as heartbeat. */
  node: nodeName().default(() => hostname()),
  nodes: z.array(nodeName()).min(1, { error: 'list every cluster node (ours included)' }),
  /** Absent, empty or null: the "no medium" error (not a generic type error). */
  media: z.preprocess(
    (v) => v ?? [],
    z
      .array(mediumSchema)
      .min(1, { error: 'the cluster needs at least one medium (ucast, bcast, mcast or serial)' }),
  ),
  timing: timingSchema,
  auth: authSchema,
  auto_failback: z.boolean().default(true),
  resource_groups: z.array(groupSchema).default([]),
  ping_nodes: z.array(ipAddress()).default([]),
  stonith: z
    .strictObject({
      /** Run with the node to reset appended; must exit 0 on success. */
      command: argvSchema,
      retry_interval: durationMs(1).default(STONITH_RETRY_MS),
    })
    .optional(),
  /** Where the generation number is kept (bumped at each start); absent = the runtime's default. */
  generation_file: text().optional(),
});

export type ClusterConfig = z.output<typeof clusterSchema>;
export type MediumConfig = ClusterConfig['media'][number];
export type ResourceConfig = ClusterConfig['resource_groups'][number]['resources'][number];

function isMulticastGroup(s: string): boolean {
  const first = Number(s.split('.')[0]);
  return isIPv4(s) && first >= 224 && first <= 239;
}

function mediumTypeError(iss: { code?: string; input?: unknown }): string | undefined {
  if (iss.code !== 'invalid_union') return undefined;
  const t = (iss.input as { type?: unknown } | undefined)?.type;
  if (typeof iss.input !== 'object' || iss.input === null) return 'expected a mapping {type, device, ...}';
  return t === undefined
    ? 'is required (ucast, bcast, mcast or serial)'
    : `${JSON.stringify(t)} is not one of: ucast, bcast, mcast, serial`;
}
