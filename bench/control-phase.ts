import { buildMaglevTable } from '../src/scheduler/maglev-table.ts';
import { formatControlSize } from './args.ts';
import { type ControlRow, type MaglevTiming, parseControlOutput } from './control.ts';
import { start } from './exec.ts';
import { loadPoint } from './machine.ts';
import type { PhaseContext } from './phases.ts';
import { ROOT } from './peers.ts';
import { summarize } from './stats.ts';

/** Weight changes per size, and the time they may take together before the child stops making more. */
const CHANGES = 11;
const CHANGE_BUDGET_MS = 60_000;

/**
 * The nft engine's control plane, each table size in its own child (bench/nft-control.ts) in the director's
 * namespace, one after the other, with no traffic running. A size is bounded by `--control-timeout`: past it
 * the child's process group is ended and the size reported as not measured. Then Maglev table builds (pure).
 */
export async function runControlPhase(ctx: PhaseContext): Promise<void> {
  const { farm, opts, r, log } = ctx;
  const rows: ControlRow[] = [];
  r.control = { rows, maglev: [] };
  r.commands.control = `node --import tsx bench/nft-control.ts SERVICES REALS SCHEDULER ${CHANGES} ${CHANGE_BUDGET_MS}  (in the director's namespace)`;
  for (const size of opts.controlSizes) {
    r.loads?.push(loadPoint(`control ${formatControlSize(size)}`));
    const argv = [
      process.execPath,
      '--import',
      'tsx',
      'bench/nft-control.ts',
      String(size.services),
      String(size.reals),
      size.scheduler,
      String(CHANGES),
      String(CHANGE_BUDGET_MS),
    ];
    const child = start(`nft-control ${formatControlSize(size)}`, farm.director.exec(argv), ROOT, true);
    const boundMs = opts.controlTimeoutS * 1000;
    try {
      await child.waitForOutput(/^\{.*\}$/m, boundMs);
      const result = parseControlOutput(child.output());
      rows.push({ ok: true, result });
      log(
        `control ${formatControlSize(size)}: apply ${result.applyMs.toFixed(0)} ms, change median ${summarize(result.changeMs)?.median.toFixed(1)} ms, RSS ${result.maxRssMiB.toFixed(0)} MiB`,
      );
    } catch (e) {
      const msg = (e as Error).message;
      const reason = /within/.test(msg)
        ? `did not finish within ${opts.controlTimeoutS} s (last: ${lastLine(child.output())})`
        : `failed: ${lastLine(msg)}`;
      rows.push({ ok: false, miss: { size, reason } });
      r.notes.push(`control ${formatControlSize(size)}: ${reason}`);
      log(`control ${formatControlSize(size)}: ${reason}`);
    } finally {
      await child.stop();
    }
  }
  r.control.maglev = maglevTimings();
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/** Maglev table builds for 1,000 real servers at the two table sizes the docs discuss; median of 5. */
function maglevTimings(): MaglevTiming[] {
  const reals = Array.from({ length: 1000 }, (_, i) => ({
    address: `198.51.100.${1 + (i % 250)}`,
    port: 1000 + i,
    lastWeight: 1,
  }));
  return [65537, 65521].map((m) => {
    const times = Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      buildMaglevTable(reals, m);
      return performance.now() - t0;
    });
    return { n: reals.length, m, ms: summarize(times)?.median ?? Number.NaN };
  });
}
