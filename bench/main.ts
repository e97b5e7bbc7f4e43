// The benchmark run behind `npm run bench` (bench/bench.ts) and `bench/nft-bench.ts`: direct, HAProxy
// (1 thread, TCP mode), the webfarm proxy engine and the nft engine (NAT, DR) side by side in one farm of
// network namespaces, and the nft control plane. See docs/BENCHMARKS.md for what is measured and how.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, parseArgs, USAGE } from './args.ts';
import { runControlPhase } from './control-phase.ts';
import { writeResultsSection } from './doc.ts';
import { stopAll } from './exec.ts';
import { failoverArgv, standaloneArgv } from './failover/args.ts';
import { createFarm, type Farm } from './farm.ts';
import { busyWarning, loadPoint, machineInfo, roundLoad } from './machine.ts';
import { ROOT } from './peers.ts';
import { type Log, runIdlePhase, runTrafficPhase } from './phases.ts';
import { renderResults } from './report.ts';
import type { BenchResult } from './result.ts';

/** Run the benchmark for argv (without node and script); the exit code. `command` is how it was invoked. */
export async function main(
  argv: readonly string[],
  command = `npm run bench -- ${argv.join(' ')}`.trim(),
): Promise<number> {
  // `--only failover` runs bench/failover-bench.ts with the other options (docs/BENCHMARKS.md "## Failover").
  const failover = failoverArgv(argv);
  if (failover) return (await import('./failover-bench.ts')).main(failover);
  // `--only health` runs bench/health-scale.ts (docs/BENCHMARKS.md "Health checking at scale").
  const health = standaloneArgv(argv, 'health');
  if (health) return runHealthScale(health);
  const parsed = parseArgs(argv);
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
      `bench: needs root to create network namespaces (uid ${process.getuid?.()}); nothing measured\n`,
    );
    return 0;
  }
  let farm: Farm;
  try {
    farm = await createFarm();
  } catch (e) {
    process.stdout.write(
      `bench: cannot create the network namespaces: ${(e as Error).message.split('\n')[0]}; nothing measured\n`,
    );
    return 0;
  }
  const dir = await mkdtemp(join(tmpdir(), 'wfbench-'));
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= (async () => {
      await stopAll();
      await farm.destroy().catch((e: Error) => process.stderr.write(`bench: ${e.message}\n`));
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
    const result = await runAll(farm, dir, opts);
    await cleanup();
    await report(result, opts, command);
    return 0;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runAll(farm: Farm, dir: string, opts: BenchOptions): Promise<BenchResult> {
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    options: opts,
    machine: await machineInfo(),
    loadAfter: [],
    loads: [loadPoint('start')],
    series: {},
    commands: {},
    notes: [],
  };
  log(
    `namespaces ${farm.client.name} ${farm.director.name} ${farm.real.name}; load average ${result.machine.loadBefore.join(' ')}`,
  );
  const busy = busyWarning(result.machine.loadBefore, result.machine.nproc);
  // The report leads with the verdict over every load point (report.ts); this is the early warning.
  if (busy) {
    log(busy);
  }
  const ctx = { farm, dir, opts, r: result, log };
  await runTrafficPhase(ctx);
  if (opts.only.includes('idle')) await runIdlePhase(ctx);
  if (opts.only.includes('control')) await runControlPhase(ctx);
  result.finishedAt = new Date().toISOString();
  result.loadAfter = roundLoad(loadavg());
  result.loads?.push(loadPoint('end'));
  return result;
}

async function report(result: BenchResult, opts: BenchOptions, command: string): Promise<void> {
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

const log: Log = (line) => {
  process.stderr.write(`bench: ${line}\n`);
};

/** Run main and exit with its code (the entry scripts). */
export function runMain(argv: readonly string[], command?: string): void {
  main(argv, command).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}

/** The health-checking scale benchmark in its own process (it measures that process's CPU); its exit code. */
function runHealthScale(args: readonly string[]): number {
  const script = fileURLToPath(new URL('./health-scale.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
  return r.status ?? 1;
}
