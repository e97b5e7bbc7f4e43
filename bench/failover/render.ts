import type { System } from './args.ts';
import type { Distribution } from './summary.ts';

/** What one failover benchmark run found; rendered as the "## Failover" tables of docs/BENCHMARKS.md. */
export interface FailoverResult {
  readonly command: string;
  readonly startedAt: string;
  readonly machine: string;
  readonly timing: Record<System, string>;
  /** Kill-to-first-success times, ms, per system (only the runs that succeeded). */
  readonly runs: Partial<Record<System, number[]>>;
  /** Runs with no successful request within the give-up bound. */
  readonly failed: Partial<Record<System, number>>;
  readonly jitter: JitterResult | undefined;
  readonly notes: readonly string[];
}

export interface JitterResult {
  readonly keepaliveMs: number;
  readonly idle: Distribution | undefined;
  readonly loaded: Distribution | undefined;
  /** wrk's Requests/sec line during the loaded capture. */
  readonly wrkRps: number | undefined;
  /** CPU of the active director's processes during the loaded capture, % of one CPU. */
  readonly directorCpuPct: number | undefined;
}

const ms = (v: number | undefined): string => (v === undefined ? '—' : `${Math.round(v)} ms`);

export function renderFailover(r: FailoverResult, dists: Partial<Record<System, Distribution>>): string {
  const out = [
    `Command: \`${r.command}\` (${r.startedAt}). Machine: ${r.machine}.`,
    '',
    '| system | timing | runs | median | p90 | worst | failed |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const sys of Object.keys(r.timing) as System[]) {
    const d = dists[sys];
    out.push(
      `| ${sys} | ${r.timing[sys]} | ${d?.n ?? 0} | ${ms(d?.median)} | ${ms(d?.p90)} | ${ms(d?.max)} | ${r.failed[sys] ?? 0} |`,
    );
  }
  const j = r.jitter;
  if (j) {
    out.push(
      '',
      `Heartbeat inter-arrival gaps at the standby (keepalive ${j.keepaliveMs} ms):`,
      '',
      '| proxy engine | gaps | median | p99 | max | max − keepalive |',
      '|---|---|---|---|---|---|',
    );
    const load =
      j.wrkRps === undefined
        ? 'under wrk at its max rate'
        : `under wrk at its max rate (${Math.round(j.wrkRps)} req/s${j.directorCpuPct === undefined ? '' : `, director ${Math.round(j.directorCpuPct)}% CPU`})`;
    for (const [label, d] of [
      ['idle', j.idle],
      [load, j.loaded],
    ] as const) {
      const f = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(1)} ms`);
      out.push(
        `| ${label} | ${d?.n ?? 0} | ${f(d?.median)} | ${f(d?.p99)} | ${f(d?.max)} | ${f(d === undefined ? undefined : d.max - j.keepaliveMs)} |`,
      );
    }
  }
  if (r.notes.length > 0) out.push('', ...r.notes.map((n) => `- ${n}`));
  return out.join('\n');
}
