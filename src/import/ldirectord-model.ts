import type { ConfigIssue } from '../config/issue.ts';

/**
 * An ldirectord.cf as read (ldirectord-parse.ts), before any meaning is given to it: directive values as
 * written, each with where it was written so later problems can point at the source line.
 */
export interface SourcePos {
  readonly line: number;
  readonly col: number;
}

export interface LdValue {
  readonly value: string;
  /** Where the directive's name starts. */
  readonly at: SourcePos;
  /** Where its value starts. */
  readonly valueAt: SourcePos;
}

export interface LdVirtual {
  readonly at: SourcePos;
  /** `virtual=` as written (`virtual6=` for IPv6). */
  readonly target: LdValue;
  readonly v6: boolean;
  /** Every directive of the block except real/real6, last one wins (as ldirectord). */
  readonly directives: ReadonlyMap<string, LdValue>;
  readonly reals: readonly LdValue[];
  readonly reals6: readonly LdValue[];
}

export interface LdFile {
  readonly file: string;
  readonly globals: ReadonlyMap<string, LdValue>;
  readonly virtuals: readonly LdVirtual[];
}

export type LdParse = { ok: true; value: LdFile } | { ok: false; issues: ConfigIssue[] };
