import { MEASURES, type PathName, type TrafficMeasure } from './args.ts';
import { controlTable } from './control.ts';
import { busyDuringThreshold, busyThreshold, loadVerdict } from './machine.ts';
import { type BenchResult, MEASURE_INFO, type Series } from './result.ts';
import { type Summary, ratio, summarize } from './stats.ts';
import { NFT_PATHS } from './topology.ts';

/** The kernel paths' target against direct (issue #5): nft ÷ direct ≥ 0.95×. */
export const NFT_TARGET = 0.95;

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

function valueSummary(series: Series | undefined): Summary | undefined {
  return summarize(series?.samples.map((s) => s.value) ?? []);
}

function pick(
  series: Series | undefined,
  f: (s: Series['samples'][number]) => number | undefined,
): Summary | undefined {
  return summarize(series?.samples.map(f).filter((v): v is number => v !== undefined) ?? []);
}

function measuresIn(r: BenchResult): TrafficMeasure[] {
  return MEASURES.filter((m): m is TrafficMeasure => m !== 'control' && r.series[m] !== undefined);
}

function pathsIn(r: BenchResult): PathName[] {
  return r.options.paths.filter((p) => measuresIn(r).some((m) => r.series[m]?.[p] !== undefined));
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const times = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(2)}×`);

/**
 * Every path side by side, one row per measure and path: median [min–max] of the rounds, the ratios of the
 * medians to direct and to HAProxy, p99 latency (HTTP), CPU of the process under test per unit of work
 * (proxies; direct: nginx / the echo server; routed and nft: kernel, no process) and the errors of all rounds.
 */
export function sideBySideTable(r: BenchResult): string {
  const paths = pathsIn(r);
  const rows: string[][] = [];
  for (const m of measuresIn(r)) {
    const info = MEASURE_INFO[m];
    const direct = valueSummary(r.series[m]?.direct);
    const haproxy = valueSummary(r.series[m]?.haproxy);
    for (const p of paths) {
      const s = r.series[m]?.[p];
      if (!s) continue;
      const title = `${info.title}${info.higherIsBetter ? '' : ' (lower is better)'}`;
      if (s.samples.length === 0) {
        rows.push([title, p, `n/a (${s.skipped ?? 'no sample'})`, '—', '—', '—', '—', '—']);
        continue;
      }
      const v = valueSummary(s);
      const p99 = pick(s, (x) => x.p99Ms);
      const cpu = pick(s, (x) => x.cpu);
      const counted = s.samples.some((x) => x.errors !== undefined);
      const errors = counted ? String(s.samples.reduce((a, x) => a + (x.errors ?? 0), 0)) : '—';
      rows.push([
        title,
        p,
        `${formatSummary(v)} ${info.unit}`,
        p === 'direct' ? '1.00×' : times(ratio(v, direct)),
        p === 'haproxy' ? '1.00×' : times(ratio(v, haproxy)),
        p99 ? `${formatSummary(p99)} ms` : '—',
        cpu ? `${formatSummary(cpu)} ${info.cpuUnit}` : '—',
        errors,
      ]);
    }
  }
  return table(
    ['measure', 'path', 'median [range]', '÷ direct', '÷ haproxy', 'p99 latency', 'CPU per unit', 'errors'],
    rows,
  );
}

/**
 * CPU per unit of work of the proxies against HAProxy's (haproxy ÷ other, so 1.0× = as efficient, 0.5× = twice
 * the CPU). When the proxy is the bottleneck this is the capacity ratio, and it moves far less with machine
 * load than req/s.
 */
export function cpuRatioTable(r: BenchResult): string {
  const withCpu = (p: PathName) => measuresIn(r).some((m) => pick(r.series[m]?.[p], (x) => x.cpu));
  const others = pathsIn(r).filter((p) => p !== 'haproxy' && p !== 'direct' && withCpu(p));
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

/** The nft paths against the ≥ 0.95 × direct target, HTTP measures, said with the machine's state. */
export function targetLines(r: BenchResult): string[] {
  const busy = loadVerdict(r.loads ?? [], r.machine.nproc).busy;
  const out: string[] = [];
  for (const p of NFT_PATHS.filter((x) => pathsIn(r).includes(x))) {
    const parts = (['keepalive', 'close'] as const).flatMap((m) => {
      const x = ratio(valueSummary(r.series[m]?.[p]), valueSummary(r.series[m]?.direct));
      if (x === undefined) return [];
      return [`${MEASURE_INFO[m].title} ${x.toFixed(2)}× (${x >= NFT_TARGET ? 'met' : 'missed'})`];
    });
    if (parts.length)
      out.push(
        `- ${p} ÷ direct, target ≥ ${NFT_TARGET}×: ${parts.join(', ')}${busy ? ' — busy machine, not a verdict' : ''}`,
      );
  }
  return out;
}

export function machineLines(r: BenchResult): string[] {
  const m = r.machine;
  const loads = (r.loads ?? []).map((p) => `${p.label} ${p.load[0]}`).join(', ');
  return [
    `- Machine: ${m.nproc} CPUs (${m.cpuModel}), kernel ${m.kernel}, Node ${m.node}`,
    `- Tools: ${Object.values(m.tools).join('; ')}`,
    `- Load average (1/5/15 min): ${m.loadBefore.join(' / ')} before, ${r.loadAfter.join(' / ')} after; busy above ${busyThreshold(m.nproc)} at the start or ${busyDuringThreshold(m.nproc)} during the run`,
    ...(loads ? [`- Load average (1 min) through the run: ${loads}`] : []),
    `- Run: ${r.startedAt} → ${r.finishedAt}; ${r.options.rounds} round${r.options.rounds === 1 ? '' : 's'} of ${r.options.durationS} s; wrk -t1 -c${r.options.connections}; ${r.options.idleConns} idle connections`,
  ];
}

/** The whole results section as markdown. */
export function renderResults(r: BenchResult, command: string): string {
  const cmds = Object.entries(r.commands).map(([m, c]) => `${m}: ${c}`);
  const verdict = loadVerdict(r.loads ?? [], r.machine.nproc);
  const traffic = measuresIn(r).length > 0;
  const targets = targetLines(r);
  return [
    verdict.text,
    '',
    ...machineLines(r),
    '',
    '```',
    command,
    '```',
    '',
    ...(traffic
      ? [
          'Every path side by side (client → path → one real server; medians of the rounds, range in brackets; ratios of the medians):',
          '',
          sideBySideTable(r),
          '',
          ...(targets.length ? [...targets, ''] : []),
          "CPU efficiency against HAProxy (its CPU per unit ÷ the proxy's; 1.00× = as efficient):",
          '',
          cpuRatioTable(r),
          '',
        ]
      : []),
    ...(r.control
      ? [
          'nft engine control plane (director namespace, NAT services, no traffic; one child process per size):',
          '',
          controlTable(r.control.rows, r.control.maglev),
          '',
        ]
      : []),
    ...(r.notes.length ? ['Notes from this run:', '', ...r.notes.map((n) => `- ${n}`), ''] : []),
    'Commands as run (load generators in the client namespace):',
    '',
    '```',
    ...cmds,
    '```',
  ].join('\n');
}
