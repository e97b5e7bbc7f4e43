import { isMap, LineCounter, parseDocument } from 'yaml';
import { type ConfigIssue, describeIssue, sortIssues } from '../config/issue.ts';
import { locate } from '../config/positions.ts';
import { configErrorMap, toPathIssues } from '../config/zod-issues.ts';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';
import { scenarioIssues } from './scenario-semantic.ts';

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; issues: ConfigIssue[] };

/** Parse and validate scenario text; every problem as FILE:LINE:COL (`file` only labels). Pure; never throws. */
export function parseScenario(text: string, file: string): ScenarioResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const p = lineCounter.linePos(e.pos[0]);
        return { file, line: p.line, col: p.col, message: `YAML syntax: ${e.message.split('\n')[0] ?? ''}` };
      }),
    };
  }
  const place = (path: readonly (string | number)[], message: string, atKey?: boolean): ConfigIssue => {
    const { line, col } = locate(doc, lineCounter, path, { atKey: atKey === true });
    return { file, line, col, message: describeIssue({ path, message }) };
  };
  if (!isMap(doc.contents))
    return { ok: false, issues: [place([], 'expected a mapping (name, vip, hosts, timeline)')] };
  const parsed = scenarioSchema.safeParse(doc.toJS(), { reportInput: true, error: configErrorMap });
  if (!parsed.success) {
    const issues = toPathIssues(parsed.error.issues).map((i) => place(i.path, i.message, i.atKey));
    return { ok: false, issues: sortIssues(issues) };
  }
  const issues = scenarioIssues(parsed.data).map((i) => place(i.path, i.message));
  return issues.length > 0 ? { ok: false, issues: sortIssues(issues) } : { ok: true, scenario: parsed.data };
}
