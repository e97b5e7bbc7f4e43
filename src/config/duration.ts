/**
 * Durations in the native config (docs/config.md "Durations").
 *
 * A duration is a non-negative number followed by a unit — `ms`, `s`, `m`, `h` — or several such parts
 * written together, largest first or not (`1m30s`, `1h5m`). A bare number (YAML `300` or the string
 * `"300"`) means SECONDS, as ipvsadm and ldirectord count. Fractions are allowed as long as the result is
 * a whole number of milliseconds (`1.5s` = 1500 ms, `0.5ms` is rejected). The result is milliseconds and at
 * most MAX_DURATION_MS, the longest delay a Node.js timer can wait. Pure, no I/O.
 */
export const MAX_DURATION_MS = 2_147_483_647;

export type ParsedDuration = { ok: true; ms: number } | { ok: false; error: string };

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h)/y;
const HINT = 'use a number with a unit: 500ms, 2s, 5m, 1h; a bare number means seconds';

export function parseDuration(value: string | number): ParsedDuration {
  if (typeof value === 'number') return fromSeconds(value, String(value));
  const text = value.trim();
  if (text.startsWith('-')) return { ok: false, error: `"${value}": a duration cannot be negative` };
  if (/^\d+(?:\.\d+)?$/.test(text)) return fromSeconds(Number(text), `"${value}"`);
  const ms = sumParts(text);
  if (ms === undefined) return { ok: false, error: `"${value}" is not a duration (${HINT})` };
  return checked(ms, `"${value}"`);
}

/** Render milliseconds in the largest unit that divides them exactly (300000 → "5m"). */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function fromSeconds(seconds: number, shown: string): ParsedDuration {
  if (!Number.isFinite(seconds)) return { ok: false, error: `${shown} is not a duration (${HINT})` };
  if (seconds < 0) return { ok: false, error: `${shown}: a duration cannot be negative` };
  return checked(seconds * 1000, shown);
}

/** Sum of `<number><unit>` parts covering the whole text, or undefined when anything else is there. */
function sumParts(text: string): number | undefined {
  if (text === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    while (text[PART.lastIndex] === ' ') PART.lastIndex++;
  }
  return total;
}

function checked(rawMs: number, shown: string): ParsedDuration {
  const ms = Math.round(rawMs * 1e6) / 1e6;
  if (!Number.isInteger(ms)) return { ok: false, error: `${shown} is not a whole number of milliseconds` };
  if (ms > MAX_DURATION_MS) {
    const hours = Math.floor(MAX_DURATION_MS / 3_600_000);
    return { ok: false, error: `${shown} is too long (at most about ${hours}h)` };
  }
  return { ok: true, ms };
}
