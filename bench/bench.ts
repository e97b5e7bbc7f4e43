// npm run bench: direct vs webfarm proxy vs HAProxy (1 thread, TCP mode) inside a private network
// namespace. See docs/BENCHMARKS.md for what is measured and how to read it.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchOptions, parseArgs, USAGE } from './args.ts';
import { writeResultsSection } from './doc.ts';
import { stopAll } from './exec.ts';
import { failoverArgv } from './failover/args.ts';
import { busyWarning, machineInfo, roundLoad } from './machine.ts';
import { createNetns, type Netns } from './netns.ts';
import { ROOT } from './peers.ts';
import { renderResults } from './report.ts';
import type { BenchResult } from './result.ts';
import { runIdlePhase, runTrafficPhase } from './phases.ts';
import { loadavg } from 'node:os';

async function main(): Promise<number> {
  // `--only failover` runs bench/failover-bench.ts with the other options (docs/BENCHMARKS.md "## Failover").
  const failover = failoverArgv(process.argv.slice(2));
  if (failover) return (await import('./failover-bench.ts')).main(failover);
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`bench: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const opts = parsed.value;
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.render) {
    const saved = JSON.parse(await readFile(opts.render, 'utf8')) as BenchResult & { command: string };
    await publish(renderResults(saved, saved.command), opts);
    return 0;
  }
  if (process.getuid?.() !== 0) {
    process.stdout.write(
      `bench: needs root to create a network namespace (uid ${process.getuid?.()}); nothing measured\n`,
    );
    return 0;
  }
  let ns: Netns;
  try {
    ns = await createNetns();
  } catch (e) {
    process.stdout.write(
      `bench: cannot create a network namespace: ${(e as Error).message}; nothing measured\n`,
    );
    return 0;
  }
  const dir = await mkdtemp(join(tmpdir(), 'wfbench-'));
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= (async () => {
      await stopAll();
      await ns.delete().catch((e: Error) => process.stderr.write(`bench: ${e.message}\n`));
      await rm(dir, { recursive: true, force: true });
    })();
    return cleaned;
  };
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`bench: ${sig}, cleaning up\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runAll(ns, dir, opts);
    await cleanup();
    await report(result, opts);
    return 0;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runAll(ns: Netns, dir: string, opts: BenchOptions): Promise<BenchResult> {
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    options: opts,
    machine: await machineInfo(),
    loadAfter: [],
    series: {},
    commands: {},
    notes: [],
  };
  log(`namespace ${ns.name}; load average ${result.machine.loadBefore.join(' ')}`);
  const busy = busyWarning(result.machine.loadBefore, result.machine.nproc);
  if (busy) {
    result.notes.push(busy);
    log(busy);
  }
  await runTrafficPhase(ns, dir, opts, result, log);
  if (opts.only.includes('idle')) await runIdlePhase(ns, dir, opts, result, log);
  result.finishedAt = new Date().toISOString();
  result.loadAfter = roundLoad(loadavg());
  return result;
}

async function report(result: BenchResult, opts: BenchOptions): Promise<void> {
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const md = renderResults(result, command);
  process.stdout.write(`\n${md}\n`);
  const outDir = join(ROOT, '.bench');
  await mkdir(outDir, { recursive: true });
  const json = `${JSON.stringify({ ...result, command }, null, 2)}\n`;
  const file = join(outDir, `bench-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, json);
  await writeFile(join(outDir, 'latest.json'), json);
  log(`wrote ${file}`);
  await publish(md, opts);
}

async function publish(md: string, opts: BenchOptions): Promise<void> {
  if (opts.render) process.stdout.write(`${md}\n`);
  if (!opts.writeDoc) return;
  await writeResultsSection(join(ROOT, 'docs/BENCHMARKS.md'), md);
  log('rewrote the results section of docs/BENCHMARKS.md');
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
