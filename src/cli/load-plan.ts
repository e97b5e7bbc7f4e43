import { formatIssue } from '../config/issue.ts';
import { loadConfig } from '../config/load.ts';
import { toDirector } from '../config/to-director.ts';
import type { FarmPlan } from '../director/farm-plan.ts';

/** Config file → FarmPlan, or every problem as a `FILE:LINE:COL: message` line. Never throws for bad input. */
export async function loadFarmPlan(
  file: string,
): Promise<{ ok: true; plan: FarmPlan } | { ok: false; errors: string[] }> {
  const r = await loadConfig(file);
  if (!r.ok) return { ok: false, errors: r.issues.map(formatIssue) };
  return { ok: true, plan: toDirector(r.config) };
}
