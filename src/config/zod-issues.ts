import type { z } from 'zod';
import type { PathIssue, PathSegment } from './issue.ts';
import { closest } from './suggest.ts';

/**
 * Operator-facing messages for zod's generic issues (wrong type, unknown key, bad enum value), used as
 * the per-parse error map; field-specific messages live next to their schemas (fields.ts). Parse with
 * `{ reportInput: true, error: configErrorMap }` so the offending value can be quoted.
 */
export const configErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'is required';
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`;
    case 'invalid_value':
      return `${describeValue(iss.input)} is not one of: ${iss.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      // One line per key, in iss.keys order; toPathIssues splits them so each lands on its own key.
      return iss.keys.map((k) => unknownKey(k, knownKeys(iss.inst))).join('\n');
    default:
      return undefined;
  }
};

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

/** A value as the operator wrote it, for messages: strings quoted, containers named. */
export function describeValue(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** zod issues → path issues; an unknown-keys issue becomes one issue per key, placed on that key. */
export function toPathIssues(issues: readonly z.core.$ZodIssue[]): PathIssue[] {
  const out: PathIssue[] = [];
  for (const iss of issues) {
    const path = iss.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (iss.code === 'unrecognized_keys') {
      const lines = iss.message.split('\n');
      iss.keys.forEach((key, i) => {
        out.push({ path: [...path, key], message: lines[i] ?? 'unknown key', atKey: true });
      });
    } else {
      out.push({ path, message: iss.message });
    }
  }
  return out;
}

function unknownKey(key: string, known: readonly string[]): string {
  const near = closest(key, known);
  if (near !== undefined) return `unknown key (did you mean "${near}"?)`;
  return known.length > 0 ? `unknown key (expected one of: ${known.join(', ')})` : 'unknown key';
}

/** The keys an object schema declares (zod keeps them in `_zod.def.shape`). */
function knownKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}
