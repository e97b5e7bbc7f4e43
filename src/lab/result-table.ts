import type { StepOutcome } from './invariants.ts';

/**
 * The lab's result table: one row per step (fault × outcome), then each failing row's problems indented
 * under it. Plain text, fixed columns. `forwarded by`: client connections each director's kernel path
 * forwarded in the step (direct routing; `-` when not observed).
 */
export function formatResultTable(rows: readonly StepOutcome[]): string {
  const head = [
    'fault',
    'failover',
    'failed/requests',
    'split brain',
    'owner after',
    'forwarded by',
    'result',
  ];
  const body = rows.map((r) => [
    r.name,
    r.failoverMs === undefined ? '-' : formatMs(r.failoverMs),
    `${r.failed}/${r.requests}`,
    formatMs(r.splitBrainMs),
    r.ownersAfter.length === 0 ? '-' : r.ownersAfter.join('+'),
    formatVia(r.via),
    r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [line(head)];
  rows.forEach((r, i) => {
    out.push(line(body[i] as string[]));
    for (const p of r.problems) out.push(`    ! ${p}`);
  });
  return `${out.join('\n')}\n`;
}

/** `director2 112`, `director1 3 + director2 98`, `-` when nothing was observed. */
export function formatVia(via: Readonly<Record<string, number>>): string {
  const parts = Object.entries(via)
    .filter(([, n]) => n > 0)
    .map(([d, n]) => `${d} ${n}`);
  return parts.length === 0 ? '-' : parts.join(' + ');
}

/** `0 ms`, `850 ms`, `1.25 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
