import { readFile } from 'node:fs/promises';
import { type Document, isMap, isSeq, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { type ConfigIssue, describeIssue, type PathIssue, sortIssues } from './issue.ts';
import { printable } from '../model/printable.ts';
import { locate } from './positions.ts';
import { type Config, configSchema, realServerSchema, serviceSchema } from './schema.ts';
import {
  checkEngine,
  checkServices,
  engineOf,
  type IndexedReal,
  type IndexedService,
  indexService,
} from './semantic.ts';
import type { ProbeFactory, ProbeType } from '../health/probe.ts';
import { checkHealth, fsIsExecutable, type IsExecutable } from './health-semantic.ts';
import type { ClusterHost } from './cluster-host.ts';
import { clusterIssues } from './cluster-semantic.ts';
import { checkResourceOrder } from './resource-order.ts';
import { configErrorMap, toPathIssues } from './zod-issues.ts';

/**
 * Read and validate a native config file (docs/config.md). Every problem is collected — YAML syntax,
 * schema, then the cross-field checks — each with the file, 1-based line and column, and a message that
 * names the field. Never throws for bad input.
 */
export type LoadResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

export async function loadConfig(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return {
      ok: false,
      issues: [{ file, line: 0, col: 0, message: `cannot read ${file}: ${readError(e)}` }],
    };
  }
  return parseConfig(text, file);
}

export interface ParseOptions {
  /** Whether a configured command exists and is executable (default: the file system, fsIsExecutable). */
  readonly isExecutable?: IsExecutable;
  /** Address families this host has addresses in (default: its interfaces, localFamilies). */
  readonly hostFamilies?: ReadonlySet<4 | 6>;
  /** The probes whose `validate` runs (default: this build's, probeFactory); `webfarm import` swaps some. */
  readonly probeFactories?: (type: ProbeType) => ProbeFactory | undefined;
  /** The host facts the cluster checks read (default: this host, fsClusterHost); 'skip' = none of them. */
  readonly clusterHost?: ClusterHost | 'skip';
}

/** Validate config text; `file` only labels the issues. Pure but for the command existence check. */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: true });
  const at = (issues: readonly PathIssue[]) => issues.map((i) => placed(file, doc, lineCounter, i));

  if (doc.errors.length > 0) return fail(doc.errors.map((e) => syntaxIssue(file, text, e)));
  const top = shapeProblem(doc);
  if (top !== undefined) return fail(at([{ path: [], message: top }]));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return fail(at([{ path: [], message: `cannot read the document: ${(e as Error).message}` }]));
  }

  data = withoutExtensions(data);
  const parsed = configSchema.safeParse(data, { reportInput: true, error: configErrorMap });
  const issues = parsed.success ? [] : toPathIssues(parsed.error.issues);
  const services = parsed.success ? parsed.data.services.map(indexService) : servicesThatParse(data);
  const engine = engineOf(data);
  const nft = (data as { nft?: unknown } | null)?.nft;
  issues.push(...checkServices(services, engine), ...checkEngine(engine, nft));
  const health = parsed.success ? parsed.data.health : undefined;
  issues.push(
    ...checkHealth(
      services,
      health,
      options.isExecutable ?? fsIsExecutable,
      options.probeFactories,
      options.hostFamilies,
    ),
  );
  const cluster = parsed.success ? parsed.data.cluster : undefined;
  const isExecutable = options.isExecutable ?? fsIsExecutable;
  issues.push(...clusterIssues(data, cluster, options.clusterHost, isExecutable));
  issues.push(...checkResourceOrder(services, engine, cluster));
  if (issues.length > 0 || !parsed.success) return fail(at(issues));
  return { ok: true, config: parsed.data };
}

/**
 * Top-level keys starting with `x-` are ignored (as in Compose files): a place for YAML anchors that
 * services merge in with `<<: *name`.
 */
function withoutExtensions(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('x-')));
}

/** Messages may quote the input: control characters in them are escaped so each stays one line. */
function fail(issues: readonly ConfigIssue[]): LoadResult {
  return { ok: false, issues: sortIssues(issues.map((i) => ({ ...i, message: printable(i.message) }))) };
}

function placed(file: string, doc: Document, lc: LineCounter, issue: PathIssue): ConfigIssue {
  const { line, col } = locate(doc, lc, issue.path, { atKey: issue.atKey === true });
  return { file, line, col, message: describeIssue(issue) };
}

/** The top level must be a mapping; say what it is otherwise. */
function shapeProblem(doc: Document): string | undefined {
  const c = doc.contents;
  if (c === null || (c as { value?: unknown }).value === null) {
    return 'the file is empty; expected a mapping with a "services" list (see docs/config.md)';
  }
  if (isMap(c)) return undefined;
  const got = isSeq(c) ? 'a list' : 'a single value';
  return `expected a mapping (engine, timeouts, admin, services) at the top level, got ${got}`;
}

/**
 * When the file fails the schema, the cross-field checks still run on what passes alone: each service
 * whose own fields are valid, with those of its real servers that are valid.
 */
function servicesThatParse(data: unknown): IndexedService[] {
  const list = (data as { services?: unknown } | null)?.services;
  if (!Array.isArray(list)) return [];
  const out: IndexedService[] = [];
  list.forEach((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
    const rawReals = (raw as { real_servers?: unknown }).real_servers;
    const svc = serviceSchema.strip().safeParse({ ...raw, real_servers: [] });
    if (!svc.success) return;
    const reals: IndexedReal[] = [];
    if (Array.isArray(rawReals)) {
      rawReals.forEach((r: unknown, i) => {
        const parsed = realServerSchema.safeParse(r);
        if (parsed.success) reals.push({ index: i, real: parsed.data });
      });
    }
    out.push({ index, service: svc.data, reals });
  });
  return out;
}

/**
 * yaml's message without its "at line L, column C:" tail and code frame. The position is computed from the
 * error's offset in `text`: yaml's own linePos misses the line breaks inside tokens it could not lex
 * (`"\\ #\n(\n{a: }"` was placed at 2:5, past the end of line 2).
 */
function syntaxIssue(file: string, text: string, e: YAMLError): ConfigIssue {
  const pos = positionAt(text, e.pos[0]);
  const first =
    e.code === 'MULTIPLE_DOCS'
      ? 'the file holds more than one YAML document ("---"); use one'
      : (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return { file, line: pos.line, col: pos.col, message: `YAML syntax: ${first}` };
}

/** 1-based line and column (UTF-16 units) of `offset` in `text`; an offset past the end is the last position. */
function positionAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, col: before.length - lineStart + 1 };
}

/** `ENOENT: no such file or directory` without Node's ", open 'path'" suffix. */
function readError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const msg = String(err.message ?? e).replace(/, \w+ '.*'$/, '');
  return err.code && !msg.startsWith(err.code) ? `${err.code}: ${msg}` : msg;
}
