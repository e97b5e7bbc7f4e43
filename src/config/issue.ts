import { printable } from '../model/printable.ts';

/**
 * One problem found in a config file. `line`/`col` are 1-based; 0/0 means the problem has no position
 * (the file could not be read) and `message` then stands alone.
 */
export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** A step into the parsed file: a mapping key or a list index. */
export type PathSegment = string | number;
export type ConfigPath = readonly PathSegment[];

/**
 * A problem before it has a position: the path of the value it concerns and the message (without the
 * path). `atKey` places it on the key itself rather than the value (unknown keys).
 */
export interface PathIssue {
  readonly path: ConfigPath;
  readonly message: string;
  readonly atKey?: boolean;
}

/** `FILE:LINE:COL: message`, or just the message when there is no position; always one line (printable). */
export function formatIssue(issue: ConfigIssue): string {
  if (issue.line === 0) return printable(issue.message);
  return `${issue.file}:${issue.line}:${issue.col}: ${printable(issue.message)}`;
}

/** `services[1].real_servers[0].weight`; keys that are not plain words are quoted. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The message as shown to the operator: prefixed with the field it concerns. */
export function describeIssue(issue: PathIssue): string {
  const where = formatPath(issue.path);
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** Order by position (stable: same place keeps the order found); drop exact repeats. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .filter((i) => {
      const k = formatIssue(i);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}
