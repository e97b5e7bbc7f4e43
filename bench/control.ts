/** The nft engine's control-plane figures: what bench/nft-control.ts reports, and their table. */
import { type ControlSize, formatControlSize } from './args.ts';
import { summarize } from './stats.ts';

/** One table size as bench/nft-control.ts measured it (its last stdout line, JSON). */
export interface ControlResult {
  readonly services: number;
  readonly reals: number;
  readonly scheduler: string;
  /** engine.start(): render + apply of every service, ms. */
  readonly applyMs: number;
  /** Size of the applying script, bytes. */
  readonly applyBytes: number;
  /** One real server's weight change, editReal → batch applied, ms, each alone. */
  readonly changeMs: readonly number[];
  /** Plan kinds the changes took (elements / rules are the cheap ones). */
  readonly plans: readonly string[];
  /** Largest change batch, bytes. */
  readonly batchBytes: number;
  /** Peak RSS of the director process (Node: Director + NftEngine), MiB. */
  readonly maxRssMiB: number;
  readonly errors: readonly string[];
}

/** A size that did not produce a result: ran past its bound or failed. */
export interface ControlMiss {
  readonly size: ControlSize;
  readonly reason: string;
}

export type ControlRow = { ok: true; result: ControlResult } | { ok: false; miss: ControlMiss };

/** Maglev table build times (pure CPU, in the bench process). */
export interface MaglevTiming {
  readonly n: number;
  readonly m: number;
  readonly ms: number;
}

/** The JSON result line among bench/nft-control.ts's output lines. */
export function parseControlOutput(out: string): ControlResult {
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`nft-control: no result in ${out.slice(-300)}`);
  const r = JSON.parse(line) as ControlResult;
  if (!Number.isFinite(r.applyMs) || !Array.isArray(r.changeMs)) throw new Error('nft-control: bad result');
  return r;
}

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(x >= 100 ? 0 : 1)} ms`);
const count = (n: number) => n.toLocaleString('en');

function sizeText(services: number, reals: number, scheduler: string): string {
  return `${count(services)} × ${count(reals)} (${count(services * reals)} real servers), ${scheduler}`;
}

/** Markdown table of the control-plane rows and Maglev builds. */
export function controlTable(rows: readonly ControlRow[], maglev: readonly MaglevTiming[]): string {
  const out = [
    "| services × real servers, scheduler | start: render + apply | one real server's weight change → in force (median [min–max], n) | change plan, largest batch | director peak RSS |",
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    if (!row.ok) {
      const s = row.miss.size;
      out.push(
        `| ${sizeText(s.services, s.reals, s.scheduler)} | not measured: ${row.miss.reason} | — | — | — |`,
      );
      continue;
    }
    const r = row.result;
    const c = summarize(r.changeMs);
    const change = c ? `${ms(c.median)} [${ms(c.min)}–${ms(c.max)}], ${c.n}` : '—';
    const errs = r.errors.length ? ` (${r.errors.length} engine errors: ${r.errors[0]})` : '';
    out.push(
      `| ${sizeText(r.services, r.reals, r.scheduler)} | ${ms(r.applyMs)} (${kb(r.applyBytes)} script)${errs} | ${change} | ${r.plans.join(', ')}, ${kb(r.batchBytes)} | ${r.maxRssMiB.toFixed(0)} MiB |`,
    );
  }
  for (const t of maglev)
    out.push(
      `| Maglev table build, N = ${count(t.n)}, M = ${count(t.m)} (pure, median of 5) | ${ms(t.ms)} | — | — | — |`,
    );
  return out.join('\n');
}

function kb(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export { formatControlSize };
