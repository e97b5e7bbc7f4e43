import { isIP } from 'node:net';
import { z } from 'zod';
import { normalizeAddress } from '../model/endpoint.ts';
import { formatDuration, parseDuration } from './duration.ts';

/**
 * Field schemas shared by the config schema, each with an operator-facing message (the generic messages
 * for wrong types and unknown keys are in zod-issues.ts).
 */

/** An integer in lo..hi inclusive: `70000 is out of range 0..65535`. */
export function intIn(lo: number, hi: number) {
  const range = (iss: { input?: unknown }) => `${String(iss.input)} is out of range ${lo}..${hi}`;
  return z
    .number()
    .int({ error: (iss) => `${String(iss.input)} is not a whole number` })
    .min(lo, { error: range })
    .max(hi, { error: range });
}

/** A TCP/UDP port, 0..65535. */
export const port = () => intIn(0, 65535);

/** An IPv4 or IPv6 address literal (no names: no resolver is consulted), stored in canonical form. */
export const ipAddress = () =>
  z
    .string()
    .refine((s) => isIP(s) !== 0, { error: (iss) => `"${String(iss.input)}" is not an IPv4 or IPv6 address` })
    .transform(normalizeAddress);

/** A duration (see duration.ts) in milliseconds, at least `minMs`. */
export function durationMs(minMs: number) {
  return z.unknown().transform((input, ctx) => {
    if (typeof input !== 'string' && typeof input !== 'number') {
      ctx.addIssue({ code: 'custom', input, message: `expected a duration like 500ms, 2s, 5m or 1h` });
      return z.NEVER;
    }
    const r = parseDuration(input);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', input, message: r.error });
      return z.NEVER;
    }
    if (r.ms < minMs) {
      const need = minMs <= 1 ? 'must be greater than 0' : `is shorter than ${formatDuration(minMs)}`;
      ctx.addIssue({ code: 'custom', input, message: `${JSON.stringify(input)} ${need}` });
      return z.NEVER;
    }
    return r.ms;
  });
}

/** A non-empty string. */
export const text = () => z.string().min(1, { error: 'must not be empty' });
