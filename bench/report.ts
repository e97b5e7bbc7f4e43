import { MEASURES, type Measure, type PathName } from './args.ts';
import { type BenchResult, MEASURE_INFO, type Series } from './result.ts';
import { type Summary, ratio, summarize } from './stats.ts';

/** Ratio columns: numerator / denominator of medians. */
const RATIOS: ReadonlyArray<readonly [PathName, PathName]> = [
  ['webfarm', 'haproxy'],
  ['webfarm', 'direct'],
  ['haproxy', 'direct'],
  ['nodepipe', 'haproxy'],
];

/** 147512 → "147.5k", 12.345 → "12.3", 0.5 → "0.50". */
export function formatNumber(x: number): string {
  if (x >= 10_000) return `${(x / 1000).toFixed(1)}k`;
  if (x >= 100) return x.toFixed(0);
  if (x >= 1) return x.toFixed(1);
  return x.toFixed(2);
}

export function formatSummary(s: Summary | undefined): string {
  if (!s) return '—';
  if (s.n === 1) return formatNumber(s.median);
  return `${formatNumber(s.median)} [${formatNumber(s.min)}–${formatNumber(s.max)}]`;
}

function cell(series: Series | undefined, pick: 'value' | 'cpu'): string {
  if (!series) return '—';
  if (series.skipped && series.samples.length === 0) return `n/a (${series.skipped})`;
  const values = series.samples.map((s) => s[pick]).filter((v): v is number => v !== undefined);
  return formatSummary(summarize(values));
}

function valueSummary(series: Series | undefined): Summary | undefined {
  return summarize(series?.samples.map((s) => s.value) ?? []);
}

function measuresIn(r: BenchResult): Measure[] {
  return MEASURES.filter((m) => r.series[m] !== undefined);
}

function pathsIn(r: BenchResult): PathName[] {
  return r.options.paths.filter((p) => measuresIn(r).some((m) => r.series[m]?.[p] !== undefined));
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Absolute numbers: median [min–max] of the rounds, per measure and path. */
export function valuesTable(r: BenchResult): string {
  const paths = pathsIn(r);
  const rows = measuresIn(r).map((m) => [
    `${MEASURE_INFO[m].title} (${MEASURE_INFO[m].unit})`,
    ...paths.map((p) => cell(r.series[m]?.[p], 'value')),
  ]);
  return table(['measure', ...paths], rows);
}

/** CPU of the process under test per unit of work. */
export function cpuTable(r: BenchResult): string {
  const paths = pathsIn(r);
  const rows = measuresIn(r)
    .filter((m) => MEASURE_INFO[m].cpuUnit !== '')
    .map((m) => [
      `${MEASURE_INFO[m].title} (${MEASURE_INFO[m].cpuUnit})`,
      ...paths.map((p) => cell(r.series[m]?.[p], 'cpu')),
    ]);
  return table(['measure', ...paths], rows);
}

/** Ratios of medians, for the ratio columns whose two paths were both run. */
export function ratioTable(r: BenchResult): string {
  const paths = pathsIn(r);
  const cols = RATIOS.filter(([a, b]) => paths.includes(a) && paths.includes(b));
  const rows = measuresIn(r).map((m) => [
    MEASURE_INFO[m].title + (MEASURE_INFO[m].higherIsBetter ? '' : ' (lower is better)'),
    ...cols.map(([a, b]) => {
      const x = ratio(valueSummary(r.series[m]?.[a]), valueSummary(r.series[m]?.[b]));
      return x === undefined ? '—' : `${x.toFixed(2)}×`;
    }),
  ]);
  return table(['measure', ...cols.map(([a, b]) => `${a} / ${b}`)], rows);
}

/**
 * CPU per unit of work of the proxies against HAProxy's (haproxy ÷ other, so 1.0× = as efficient, 0.5× = twice
 * the CPU). When the proxy is the bottleneck this is the capacity ratio, and it moves far less with machine
 * load than req/s.
 */
export function cpuRatioTable(r: BenchResult): string {
  const others = pathsIn(r).filter((p) => p !== 'haproxy' && p !== 'direct');
  const ms = measuresIn(r).filter(
    (m) => MEASURE_INFO[m].cpuUnit !== '' && r.series[m]?.haproxy?.samples.length,
  );
  const cpu = (s: Series | undefined) =>
    summarize(s?.samples.map((x) => x.cpu).filter((v): v is number => v !== undefined) ?? []);
  const rows = ms.map((m) => [
    MEASURE_INFO[m].title,
    ...others.map((p) => {
      const x = ratio(cpu(r.series[m]?.haproxy), cpu(r.series[m]?.[p]));
      return x === undefined ? '—' : `${x.toFixed(2)}×`;
    }),
  ]);
  return table(['measure', ...others.map((p) => `haproxy CPU / ${p} CPU`)], rows);
}

export function machineLines(r: BenchResult): string[] {
  const m = r.machine;
  return [
    `- Machine: ${m.nproc} CPUs (${m.cpuModel}), kernel ${m.kernel}, Node ${m.node}`,
    `- Tools: ${Object.values(m.tools).join('; ')}`,
    `- Load average (1/5/15 min): ${m.loadBefore.join(' / ')} before, ${r.loadAfter.join(' / ')} after`,
    `- Run: ${r.startedAt} → ${r.finishedAt}; ${r.options.rounds} rounds of ${r.options.durationS} s; wrk -c${r.options.connections}; ${r.options.idleConns} idle connections`,
  ];
}

/** The whole results section as markdown. */
export function renderResults(r: BenchResult, command: string): string {
  const cmds = Object.entries(r.commands).map(([m, c]) => `${m}: ${c}`);
  return [
    ...machineLines(r),
    '',
    '```',
    command,
    '```',
    '',
    'Medians of the rounds, range in brackets:',
    '',
    valuesTable(r),
    '',
    'CPU of the process under test per unit of work (proxies; for direct: nginx, the echo server):',
    '',
    cpuTable(r),
    '',
    'Ratios of the medians:',
    '',
    ratioTable(r),
    '',
    "CPU efficiency against HAProxy (its CPU per unit ÷ the proxy's; 1.00× = as efficient):",
    '',
    cpuRatioTable(r),
    '',
    ...(r.notes.length ? ['Notes from this run:', '', ...r.notes.map((n) => `- ${n}`), ''] : []),
    'Commands as run (inside the namespace):',
    '',
    '```',
    ...cmds,
    '```',
  ].join('\n');
}
