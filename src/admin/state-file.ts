import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import { type FarmTable, canonicalJson } from '../config/diff.ts';
import type { Director } from '../director/director.ts';
import type { AdminState, RealServerSpec } from '../director/real-server.ts';
import type { Timeouts } from '../director/timeouts.ts';
import type { ServiceSpec } from '../director/virtual-service.ts';
import { SCHEDULER_FLAGS, SCHEDULER_NAMES } from '../scheduler/scheduler.ts';

/**
 * The runtime state file (docs/operations.md "State file"): the director's whole table — services,
 * real servers, weights and settings, admin state, timeouts — as JSON, rewritten atomically after every
 * change made at run time (admin API, `webfarm ipvsadm`, reload). `configDigest` names the config table it
 * descends from (tableDigest); the start rule in state-file-merge.ts uses it to decide which wins.
 *
 * Real servers are listed in the order they were added (oldest first), so adding them again in that
 * order rebuilds the director's scheduling list (newest first) as it was.
 */
export interface StateDoc {
  readonly version: 1;
  readonly configDigest: string;
  readonly timeouts: Timeouts;
  readonly services: ReadonlyArray<{ readonly spec: ServiceSpec; readonly reals: readonly StateReal[] }>;
}

export type StateReal = RealServerSpec & { readonly admin: AdminState };

/** sha256 of the canonical JSON of a plan's table (timeouts, services with their reals in config order). */
export function tableDigest(t: FarmTable): string {
  const table = { timeouts: t.timeouts, services: t.services.map((s) => ({ spec: s.spec, reals: s.reals })) };
  return createHash('sha256').update(canonicalJson(table)).digest('hex');
}

/** The director's table now, as a state document (fallback reals excluded: health inserts those). */
export function stateOf(director: Director, configDigest: string): StateDoc {
  return {
    version: 1,
    configDigest,
    timeouts: { ...director.timeouts },
    services: [...director.services.values()].map((s) => ({
      spec: s.spec,
      reals: s.dests
        .filter((r) => !r.fallback)
        .reverse()
        .map((r) => ({
          address: r.address,
          port: r.port,
          weight: r.configuredWeight,
          upperThreshold: r.upperThreshold,
          lowerThreshold: r.lowerThreshold,
          forward: r.forward,
          admin: r.admin,
        })),
    })),
  };
}

export function formatState(doc: StateDoc): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);
const address = z.string().refine((a) => isIP(a) !== 0, { error: 'not an IP address' });

const specSchema = z.strictObject({
  name: z.string().optional(),
  protocol: z.enum(['tcp', 'udp']),
  address,
  port: int(0, 65535),
  scheduler: z.enum(SCHEDULER_NAMES),
  flags: z.array(z.enum(SCHEDULER_FLAGS)),
  persistence: z.strictObject({ timeoutMs: int(0, 2 ** 31), prefix: int(0, 128) }).optional(),
  expireQuiescentTemplate: z.boolean(),
  onePacket: z.boolean(),
  proxyProtocol: z.enum(['off', 'v1', 'v2']),
  connect: z.strictObject({ timeoutMs: int(1, 2 ** 31), retries: int(0, 100), redispatch: z.boolean() }),
  passive: z
    .strictObject({
      consecutiveFailures: int(1, 1000),
      baseEjectionMs: int(1, 2 ** 31),
      maxEjectionMs: int(1, 2 ** 31),
      maxEjectionPercent: int(0, 100),
    })
    .optional(),
});

const realSchema = z.strictObject({
  address,
  port: int(1, 65535),
  weight: int(0, 65535),
  upperThreshold: int(0, 2 ** 31 - 1),
  lowerThreshold: int(0, 2 ** 31 - 1),
  forward: z.enum(['masq', 'route', 'tunnel']),
  admin: z.enum(['enabled', 'drain', 'maintenance']),
});

const docSchema = z.strictObject({
  version: z.literal(1),
  configDigest: z.string().regex(/^[0-9a-f]{64}$/),
  timeouts: z.strictObject({ tcpMs: int(1, 2 ** 31), tcpFinMs: int(1, 2 ** 31), udpMs: int(1, 2 ** 31) }),
  services: z.array(z.strictObject({ spec: specSchema, reals: z.array(realSchema) })),
});

/** Parse a state file's text; a problem is one message naming the field. */
export function parseState(text: string): { ok: true; doc: StateDoc } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  const r = docSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, error: `${i?.path.join('.') || 'document'}: ${i?.message ?? 'invalid'}` };
  }
  // JSON has no `undefined` members, so the optional fields are absent rather than undefined.
  return { ok: true, doc: r.data as unknown as StateDoc };
}

/** Read a state file: undefined when it does not exist; a corrupt or unreadable one is reported and undefined. */
export async function readState(
  path: string,
  warn: (message: string) => void,
): Promise<StateDoc | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`${path}: ${(e as Error).message}`);
    return undefined;
  }
  const r = parseState(text);
  if (!r.ok) {
    warn(`${path}: ${r.error}`);
    return undefined;
  }
  return r.doc;
}
