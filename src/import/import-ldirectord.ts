import type { ConfigIssue } from '../config/issue.ts';
import { Draft } from './draft.ts';
import { mapLdirectord } from './ldirectord-map.ts';
import { parseLdirectord } from './ldirectord-parse.ts';
import { validateDraft } from './validate-draft.ts';

export type ImportResult = ({ ok: true; yaml: string } | { ok: false; issues: ConfigIssue[] }) & {
  /** Lines for stderr that are not errors (directives accepted but ignored, with their line). */
  readonly warnings?: readonly string[];
};

/** The comment lines every import starts with. */
export function importHeader(draft: Draft, sources: readonly string[]): void {
  draft.note(
    [],
    `webfarm native config (docs/config.md), imported by webfarm import from ${sources.join(', ')}`,
  );
  draft.note([], 'Validate it on the director that will run it: webfarm check -c FILE');
}

/**
 * The engine the imported config names: `proxy` (default; `gate`/`ipip` real servers become `masq`, with a
 * comment) or `nft` (the kernel path: `gate` becomes `forward: route`, direct routing as ldirectord's LVS
 * did; `ipip` becomes `tunnel`, which the nft engine refuses, reported at its line).
 */
export type ImportEngine = 'proxy' | 'nft';

/** ldirectord.cf text → native YAML (with comments), or every problem at its FILE:LINE:COL. Pure. */
export function importLdirectord(text: string, file: string, engine: ImportEngine = 'proxy'): ImportResult {
  return importLdirectordFiles([{ file, text }], engine);
}

/** Several ldirectord.cf files merged into one config (their services in file order). Pure. */
export function importLdirectordFiles(
  files: ReadonlyArray<{ file: string; text: string }>,
  engine: ImportEngine = 'proxy',
): ImportResult {
  const draft = new Draft();
  importHeader(
    draft,
    files.map((f) => f.file),
  );
  draft.data.engine = engine;
  draft.data.health = {};
  const issues = addLdirectord(draft, files);
  return issues.length > 0 ? { ok: false, issues } : finish(draft);
}

/** Parse and map each file into `draft`; every problem of every file. */
export function addLdirectord(
  draft: Draft,
  files: ReadonlyArray<{ file: string; text: string }>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const { file, text } of files) {
    const parsed = parseLdirectord(text, file);
    if (parsed.ok) issues.push(...mapLdirectord(parsed.value, draft));
    else issues.push(...parsed.issues);
  }
  return issues;
}

/** Render and validate: the output of an import always passes the host-independent checks. */
export function finish(draft: Draft): ImportResult {
  const yaml = draft.render();
  const issues = validateDraft(draft, yaml);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, yaml };
}
