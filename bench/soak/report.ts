import {
  FD_TOLERANCE,
  MAX_RSS_SLOPE_MIB_PER_MIN,
  type RssVerdict,
  type Sample,
  mean,
  quarters,
  slope,
} from './trend.ts';

export interface SoakResult {
  readonly command: string;
  readonly minutes: number;
  readonly warmupS: number;
  readonly sampleS: number;
  readonly wallS: number;
  readonly counters: Record<string, number>;
  readonly rss: readonly Sample[];
  readonly heap: readonly Sample[];
  readonly fds: readonly Sample[];
  readonly rssRule: RssVerdict;
  readonly heapSlopeMiBPerMin: number;
  readonly fdRule: { pass: boolean; baseline: number; final: number };
  readonly node: string;
  readonly wrk: string;
  readonly dir: string;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** Markdown: the verdicts, the counts by kind, the trend table. */
export function formatReport(r: SoakResult): string {
  const out: string[] = [];
  out.push(
    `Soak: ${r.minutes} min of load and faults (${r.wallS.toFixed(0)} s with start and settle), ${r.node}, ${r.wrk}.`,
  );
  out.push('');
  out.push(
    `- RSS flat: **${pass(r.rssRule.pass)}** — after the ${r.warmupS} s warm-up (${r.rssRule.samples} samples): slope ${r.rssRule.slopeMiBPerMin.toFixed(2)} MiB/min (limit ${MAX_RSS_SLOPE_MIB_PER_MIN}), last-quarter mean ${r.rssRule.lastQuarterMeanMiB.toFixed(1)} MiB vs first-quarter max ${r.rssRule.firstQuarterMaxMiB.toFixed(1)} MiB (mean ${r.rssRule.firstQuarterMeanMiB.toFixed(1)})`,
  );
  out.push(
    `- No fd leak: **${pass(r.fdRule.pass)}** — ${r.fdRule.baseline} open fds before the load, ${r.fdRule.final} after it stopped and the farm settled (allowed: baseline + ${FD_TOLERANCE})`,
  );
  out.push(`- Heap used: slope ${r.heapSlopeMiBPerMin.toFixed(2)} MiB/min after the warm-up (informational)`);
  out.push('');
  out.push('| trend (whole run) | first quarter mean | last quarter mean | min | max | slope /min |');
  out.push('|---|---:|---:|---:|---:|---:|');
  const row = (name: string, s: readonly Sample[], fmt: (n: number) => string, unit: number) => {
    if (s.length === 0) return;
    const { first, last } = quarters(s);
    const vs = s.map((x) => x.v);
    out.push(
      `| ${name} | ${fmt(mean(first))} | ${fmt(mean(last))} | ${fmt(Math.min(...vs))} | ${fmt(Math.max(...vs))} | ${((slope(s) * 60) / unit).toFixed(2)} |`,
    );
  };
  row('RSS (MiB)', r.rss, mib, 2 ** 20);
  row('heap used (MiB)', r.heap, mib, 2 ** 20);
  row('open fds', r.fds, (n) => n.toFixed(1), 1);
  out.push('');
  out.push('| count | value |');
  out.push('|---|---:|');
  for (const k of Object.keys(r.counters).sort()) out.push(`| ${k} | ${r.counters[k]} |`);
  out.push('');
  return `${out.join('\n')}\n`;
}
