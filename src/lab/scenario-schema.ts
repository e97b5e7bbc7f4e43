import { z } from 'zod';
import { durationMs, intIn, ipAddress, port, text } from '../config/fields.ts';

/**
 * The lab scenario file (docs/RELIABILITY.md "Fault lab"): hosts in namespaces on one bridge, what runs on
 * each, a timeline of faults and the outcome each must have. Every mapping is closed (unknown keys are
 * errors, as in the native config). Durations are milliseconds after parsing.
 */

const name = () =>
  z.string().regex(/^[a-z][a-z0-9]{0,11}$/, {
    error: 'must be 1-12 lower-case letters or digits, starting with a letter',
  });

/** A built-in HTTP server answering every request with `body` (default: the host's name). */
export const httpServerSchema = z.strictObject({
  port: port().default(80),
  /** Listen address; a director's fallback page listens on 127.0.0.1 beside the VIP. */
  bind: ipAddress().default('0.0.0.0'),
  body: text().optional(),
});

const director = z.strictObject({
  name: name(),
  role: z.literal('director'),
  address: ipAddress(),
  /** A webfarm config file (relative to the scenario file), or the config inline. */
  config: z.union([text(), z.record(z.string(), z.unknown())]),
  /** Text replacements applied to the config before it runs; `${lab}` = the run's directory, `${host}` = this host. */
  substitute: z.record(z.string(), z.string()).default({}),
  http: z.array(httpServerSchema).default([]),
});

const real = z.strictObject({
  name: name(),
  role: z.literal('real'),
  address: ipAddress(),
  /** Addresses on lo with arp_ignore/arp_announce (direct routing). */
  vip_on_lo: z.array(ipAddress()).default([]),
  http: z.array(httpServerSchema).default([{ port: 80, bind: '0.0.0.0' }]),
});

const client = z.strictObject({
  name: name(),
  role: z.literal('client'),
  address: ipAddress(),
  /** The URL the bounded request loop GETs. */
  target: z.url({ error: 'must be an http:// URL' }),
  /** Requests per second (one at a time; a slow answer delays the next). */
  rate: intIn(1, 1000).default(20),
  timeout: durationMs(1).default(1000),
});

export const hostSchema = z.discriminatedUnion('role', [director, real, client]);

/** `active` = the director holding the VIP when the step starts; `last` = the previous step's target. */
const target = () => z.string().min(1);

const signal = z.enum(['SIGKILL', 'SIGSTOP', 'SIGCONT', 'SIGTERM']);

export const faultSchema = z.discriminatedUnion('do', [
  z.strictObject({ do: z.literal('signal'), host: target(), signal }),
  z.strictObject({ do: z.literal('start'), host: target() }),
  z.strictObject({ do: z.literal('link'), host: target(), dev: text().default('eth0'), up: z.boolean() }),
  z.strictObject({
    do: z.literal('loss'),
    host: target(),
    /** Heartbeat UDP dropped with `numgen random mod 100 < percent`; 0 removes the rule; 100 = cut. */
    percent: intIn(0, 100),
    port: port().default(694),
  }),
  z.strictObject({ do: z.literal('serial'), up: z.boolean() }),
  z.strictObject({
    do: z.literal('web'),
    host: target(),
    state: z.enum(['kill', 'start', 'hang', 'slow', 'normal']),
    delay: durationMs(1).default(3000),
  }),
  z.strictObject({ do: z.literal('reals'), up: z.boolean() }),
  z.strictObject({
    do: z.literal('reload'),
    host: target(),
    bad: z.boolean().default(false),
    count: intIn(1, 10000).default(1),
  }),
  z.strictObject({ do: z.literal('wait') }),
]);

export const expectSchema = z.strictObject({
  /** Who holds the VIP once settled: a director, `same` (as before the step), `other` (not the one before), `none`. */
  owner: z.string().min(1).optional(),
  /** How long the step may take to reach `owner` (failover bound). */
  within: durationMs(0).optional(),
  /** Client requests that may fail in this step (inside its window). */
  failed_max: intIn(0, 1_000_000).optional(),
  /** Time with two owners allowed in this step (before settle). */
  split_brain_max: durationMs(0).optional(),
  /** After `within`, successful answers come only from these bodies. */
  served_by: z.array(text()).optional(),
  /** Host whose web server must accept no connection after `within` (detection bound). */
  no_conns_on: target().optional(),
  /** `webfarm reload` must fail (a bad config rejected). */
  reload_rejected: z.boolean().optional(),
  /** A director other than the holder before the step must take the address within this bound (it may
   *  share it: a stopped holder keeps it); the table's failover column is that time. */
  takeover_within: durationMs(0).optional(),
});

export const stepSchema = z.strictObject({
  at: durationMs(0),
  name: text(),
  fault: faultSchema,
  /** More faults applied at the same moment (e.g. every medium cut at once). */
  also: z.array(faultSchema).default([]),
  expect: expectSchema.default({}),
});

export const scenarioSchema = z.strictObject({
  name: text(),
  /** The floating address whose owners are sampled. */
  vip: ipAddress(),
  /** A serial cable (socat pty pair) between two directors. */
  serial: z.tuple([name(), name()]).optional(),
  /** After a fault, how long until at most one owner must hold and requests must succeed again. */
  settle: durationMs(0).default(5000),
  /** Time after the last step before the run ends. */
  tail: durationMs(0).default(3000),
  /** Bound on how long directors may take to start and agree on an owner. */
  startup: durationMs(1).default(20000),
  /** Files copied into the run's directory (mode 0600) under their key, e.g. `authkeys: ha.d/authkeys`. */
  files: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/), text()).default({}),
  hosts: z.array(hostSchema).min(1, { error: 'needs at least one host' }),
  timeline: z.array(stepSchema).default([]),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type Host = z.output<typeof hostSchema>;
export type DirectorHost = Extract<Host, { role: 'director' }>;
export type RealHost = Extract<Host, { role: 'real' }>;
export type ClientHost = Extract<Host, { role: 'client' }>;
export type Fault = z.output<typeof faultSchema>;
export type Step = z.output<typeof stepSchema>;
export type Expect = z.output<typeof expectSchema>;
