import type { ConfigIssue } from '../config/issue.ts';
import { closest } from '../config/suggest.ts';
import { LD_DIRECTIVES, LD_REJECTED } from './ldirectord-directives.ts';
import type { LdFile, LdParse, LdValue, LdVirtual, SourcePos } from './ldirectord-model.ts';
import { parseBool, unquote } from './words.ts';

/**
 * Read ldirectord.cf text (seed-system.md §3.2): global directives at column 0; `virtual=` starts a block
 * whose lines are indented by at least 4 columns (a tab counts 4, as ldirectord expands tabs to 4
 * spaces); a line back at column 0 ends the block; blank lines and whole-line `#` comments are skipped
 * (a `#` later in a line is part of the value, as in ldirectord). An unknown directive, a directive in
 * the wrong place or a malformed value is an error naming FILE:LINE:COL. Every problem is reported, not
 * only the first. Pure.
 */
export function parseLdirectord(text: string, file: string): LdParse {
  const issues: ConfigIssue[] = [];
  const globals = new Map<string, LdValue>();
  const virtuals: LdVirtual[] = [];
  let block: BlockAcc | undefined;
  const flush = () => {
    if (block) virtuals.push(block.done());
    block = undefined;
  };
  const fail = (at: SourcePos, message: string) => issues.push({ file, ...at, message });

  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const l = lexLine(raw.replace(/\r$/, ''), line);
    if (l === undefined) return;
    if ('error' in l) {
      fail(l.at, l.error);
      return;
    }
    const { width, name, value } = l;
    if (width > 0 && width < 4) {
      fail(value.at, 'indented by less than 4 columns: a virtual= block line needs 4 spaces or a tab');
      return;
    }
    if (width === 0) flush();
    if (name === 'virtual' || name === 'virtual6') {
      if (width > 0) {
        fail(value.at, `${name}= must start at column 0`);
        return;
      }
      block = new BlockAcc(value, name === 'virtual6');
      return;
    }
    const problem = directiveProblem(name, width > 0, block !== undefined) ?? valueProblem(name, value.value);
    if (problem !== undefined) {
      fail(problem.onValue ? value.valueAt : value.at, problem.message);
      return;
    }
    if (width === 0) globals.set(name, value);
    else block?.add(name, value);
  });
  flush();
  if (issues.length > 0) return { ok: false, issues };
  const value: LdFile = { file, globals, virtuals };
  return { ok: true, value };
}

class BlockAcc {
  readonly #target: LdValue;
  readonly #v6: boolean;
  readonly #directives = new Map<string, LdValue>();
  readonly #reals: LdValue[] = [];
  readonly #reals6: LdValue[] = [];

  constructor(target: LdValue, v6: boolean) {
    this.#target = target;
    this.#v6 = v6;
  }

  add(name: string, v: LdValue): void {
    if (name === 'real') this.#reals.push(v);
    else if (name === 'real6') this.#reals6.push(v);
    else this.#directives.set(name, v);
  }

  done(): LdVirtual {
    return {
      at: this.#target.at,
      target: this.#target,
      v6: this.#v6,
      directives: this.#directives,
      reals: this.#reals,
      reals6: this.#reals6,
    };
  }
}

type Lexed = { width: number; name: string; value: LdValue } | { error: string; at: SourcePos };

/** One line → indentation width and `name=value`, or undefined for a blank/comment line. */
function lexLine(raw: string, line: number): Lexed | undefined {
  let n = 0;
  let width = 0;
  while (n < raw.length && (raw[n] === ' ' || raw[n] === '\t')) {
    width += raw[n] === '\t' ? 4 : 1;
    n++;
  }
  const rest = raw.slice(n).trimEnd();
  if (rest === '' || rest.startsWith('#')) return undefined;
  const m = /^([A-Za-z0-9_]+)\s*=\s*/.exec(rest);
  if (!m) {
    const word = rest.split(/\s/)[0] ?? rest;
    return { error: `unknown directive "${word}" (expected directive=value)`, at: { line, col: n + 1 } };
  }
  const at = { line, col: n + 1 };
  const valueAt = { line, col: n + 1 + m[0].length };
  return { width, name: m[1] as string, value: { value: rest.slice(m[0].length), at, valueAt } };
}

interface Problem {
  readonly message: string;
  readonly onValue: boolean;
}

const KNOWN = [...LD_DIRECTIVES.keys(), 'virtual', 'virtual6'];

function directiveProblem(name: string, indented: boolean, inBlock: boolean): Problem | undefined {
  const onKey = (message: string): Problem => ({ message, onValue: false });
  const rejected = LD_REJECTED.get(name);
  if (rejected !== undefined) return onKey(rejected);
  const rule = LD_DIRECTIVES.get(name);
  if (rule === undefined) {
    const near = closest(name, KNOWN);
    return onKey(`unknown directive "${name}"${near === undefined ? '' : ` (did you mean "${near}"?)`}`);
  }
  if (indented && !inBlock) return onKey(`"${name}" is indented but no virtual= block is open`);
  if (!indented && rule.scope === 'virtual') {
    return onKey(`"${name}" is only valid inside a virtual= block (indent it under its virtual=)`);
  }
  if (indented && rule.scope === 'global') {
    return onKey(`"${name}" is a global directive: it must start at column 0, outside any virtual= block`);
  }
  return undefined;
}

function valueProblem(name: string, raw: string): Problem | undefined {
  const rule = LD_DIRECTIVES.get(name);
  const v = unquote(raw);
  const onValue = (message: string): Problem => ({ message, onValue: true });
  if (raw.trim() === '') return onValue(`${name}: missing value`);
  switch (rule?.kind) {
    case 'seconds':
      return /^\d+$/.test(v) ? undefined : onValue(`${name}: "${v}" is not a whole number of seconds`);
    case 'count':
      return /^\d+$/.test(v) ? undefined : onValue(`${name}: "${v}" is not a whole number`);
    case 'bool':
      return parseBool(v) === undefined ? onValue(`${name}: "${v}" is not yes or no`) : undefined;
    default:
      return undefined;
  }
}
