import { isIP } from 'node:net';
import { z } from 'zod';
import { SCHEDULER_FLAGS, SCHEDULER_NAMES } from '../scheduler/scheduler.ts';

/**
 * Request bodies of the admin API (docs/api.md). Every object is strict: an unknown field is an error.
 * Times are milliseconds and persistence netmasks prefix lengths, as in the status snapshot, so what a
 * GET returns can be sent back.
 */
const MAX_TIMEOUT_MS = 86400 * 31 * 1000;
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const address = z.string().refine((a) => isIP(a) !== 0, 'not an IP address');

export const persistenceSchema = z.strictObject({
  timeoutMs: int(1000, MAX_TIMEOUT_MS),
  prefix: int(0, 128),
});

/** PUT /v1/services/{id}: scheduling settings (missing = default, as ipvsadm -E); the rest kept when absent. */
export const serviceSettingsSchema = z.strictObject({
  scheduler: z.enum(SCHEDULER_NAMES).optional(),
  flags: z.array(z.enum(SCHEDULER_FLAGS)).optional(),
  persistence: persistenceSchema.nullable().optional(),
  onePacket: z.boolean().optional(),
  name: z.string().min(1).max(200).optional(),
  proxyProtocol: z.enum(['off', 'v1', 'v2']).optional(),
});

/** POST /v1/services. */
export const serviceSchema = serviceSettingsSchema.extend({
  protocol: z.enum(['tcp', 'udp']),
  address,
  port: int(0, 65535),
});

const forward = z.enum(['masq', 'route', 'tunnel']);

/** PUT /v1/services/{id}/reals/{rid} (missing = default, as ipvsadm -e); PATCH takes the same fields, partially. */
export const realSettingsSchema = z.strictObject({
  weight: int(0, 65535).optional(),
  forward: forward.optional(),
  upperThreshold: int(0, 2 ** 31 - 1).optional(),
  lowerThreshold: int(0, 2 ** 31 - 1).optional(),
});

/** POST /v1/services/{id}/reals. */
export const realSchema = realSettingsSchema.extend({ address, port: int(1, 65535) });

/** PUT /v1/timeouts: ipvsadm --set; 0 or absent keeps the current value. */
export const timeoutsSchema = z.strictObject({
  tcpMs: int(0, MAX_TIMEOUT_MS).optional(),
  tcpFinMs: int(0, MAX_TIMEOUT_MS).optional(),
  udpMs: int(0, MAX_TIMEOUT_MS).optional(),
});

/**
 * POST …/reals/{rid}/drain. `timeout`: a duration as in the config ("30s", "1m30s", "500ms"; a bare number
 * is seconds), absent = wait until the connections are gone; `remove`: delete the server afterwards.
 */
export const drainSchema = z.strictObject({
  timeout: z.union([z.string(), z.number()]).optional(),
  remove: z.boolean().optional(),
});

/** Bodies that must be empty (DELETE, POST …/zero): `{}` or nothing. */
export const emptySchema = z.strictObject({});

export type ServiceBody = z.infer<typeof serviceSchema>;
export type ServiceSettingsBody = z.infer<typeof serviceSettingsSchema>;
export type RealBody = z.infer<typeof realSchema>;
export type RealSettingsBody = z.infer<typeof realSettingsSchema>;
