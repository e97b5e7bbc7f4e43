// Failover time, webfarm's cluster vs keepalived, in one namespace topology; and heartbeat jitter while
// the proxy engine is saturated. `tsx bench/failover-bench.ts --runs 20` or `npm run bench -- --only
// failover`. See the "## Failover" section of docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ClusterFarm, clusterFarmUnavailable, NODES, waitFor } from '../test/system/support/cluster-farm.ts';
import { FAILOVER_USAGE, type FailoverOptions, parseFailoverArgs, type System } from './failover/args.ts';
import type { Contender } from './failover/contender.ts';
import { failDirector, killAll, killHost, restoreLink } from './failover/director.ts';
import { measureJitter } from './failover/jitter.ts';
import { KeepalivedContender } from './failover/keepalived-contender.ts';
import { Poller } from './failover/poller.ts';
import { type FailoverResult, type JitterResult, renderFailover } from './failover/render.ts';
import { type Distribution, distribution } from './failover/summary.ts';
import { WebfarmContender } from './failover/webfarm-contender.ts';
import { ROOT } from './peers.ts';

const isName = (body: string) => body === 'r1' || body === 'r2';

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseFailoverArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`failover-bench: ${parsed.error}\n${FAILOVER_USAGE}\n`);
    return 2;
  }
  const opts = parsed.value;
  if (opts.help) {
    process.stdout.write(`${FAILOVER_USAGE}\n`);
    return 0;
  }
  const why = unavailable(opts);
  if (why !== undefined) {
    process.stdout.write(`failover-bench: ${why}; nothing measured\n`);
    return 0;
  }
  const farm = new ClusterFarm({ tag: 'fb', media: ['bcast'], autoFailback: true });
  const cleanup = async () => {
    for (const n of NODES) await killAll(farm, n).catch(() => {});
    await killHost(farm, 'c').catch(() => {});
    await farm.destroy();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`failover-bench: ${sig}, cleaning up\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await farm.setup();
    const result = await runAll(farm, opts, argv);
    await cleanup();
    await report(result);
    return 0;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function unavailable(opts: FailoverOptions): string | undefined {
  const base = clusterFarmUnavailable();
  if (base !== undefined) return base;
  const tools = [['wrk', '-v']];
  if (opts.systems.includes('keepalived')) tools.push(['keepalived', '--version']);
  for (const argv of tools) {
    const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    if (r.error) return `${argv[0]} is not installed`;
  }
  return undefined;
}

async function runAll(
  farm: ClusterFarm,
  opts: FailoverOptions,
  argv: readonly string[],
): Promise<FailoverResult> {
  const l = loadavg().map((x) => x.toFixed(2));
  const result = {
    command: `tsx bench/failover-bench.ts ${argv.join(' ')}`.trim(),
    startedAt: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, Linux ${release()}, Node ${process.version}, load ${l.join(' ')} at the start`,
    timing: {} as Record<System, string>,
    runs: {} as Partial<Record<System, number[]>>,
    failed: {} as Partial<Record<System, number>>,
    jitter: undefined as JitterResult | undefined,
    notes: [] as string[],
  };
  const poller = await Poller.start(farm);
  for (const sys of opts.systems) {
    const c: Contender = sys === 'webfarm' ? new WebfarmContender(farm) : new KeepalivedContender(farm);
    await Promise.all([c.start('dira'), c.start('dirb')]);
    await steady(farm, c);
    result.timing[sys] = c.timing;
    if (sys === 'webfarm' && opts.jitterS > 0) {
      log(`webfarm: heartbeat gaps, ${opts.jitterS} s idle then ${opts.jitterS} s under wrk`);
      result.jitter = await measureJitter(farm, opts.jitterS, opts.connections);
      await steady(farm, c);
    }
    const times: number[] = [];
    let failed = 0;
    for (let i = 1; i <= opts.runs; i++) {
      const t0 = await failDirector(farm, 'dira');
      const ok = await poller.firstSuccess();
      if (ok === undefined) failed++;
      else times.push(ok.at - t0);
      log(
        `${sys} run ${i}/${opts.runs}: ${ok === undefined ? 'no success within the bound' : `${(ok.at - t0).toFixed(1)} ms (that request started at +${(ok.startedAt - t0).toFixed(1)} ms)`}`,
      );
      await restoreDira(farm, c, result.notes);
    }
    result.runs[sys] = times;
    result.failed[sys] = failed;
    for (const n of NODES) await killAll(farm, n);
    for (const n of NODES) await restoreLink(farm, n);
  }
  return result;
}

/** Bring dira back after a run (link up, restart) and wait for the steady state; one retry, noted. */
async function restoreDira(farm: ClusterFarm, c: Contender, notes: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await killAll(farm, 'dira');
      await restoreLink(farm, 'dira');
      await c.start('dira');
      await steady(farm, c);
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
      const first = (e as Error).message.split('\n')[0];
      notes.push(`${c.name}: restoring dira failed once (${first}); retried`);
      log(`${c.name}: restoring dira failed, retrying: ${(e as Error).message}\n${c.diagnostics()}`);
    }
  }
}

/** dira alone holds the VIP, the client reaches a real server through it with dira's MAC, dirb stands by. */
async function steady(farm: ClusterFarm, c: Contender): Promise<void> {
  try {
    await waitFor(
      () => farm.holders(),
      (h) => h.join() === 'dira',
      'dira alone to hold the VIP',
      30_000,
    );
    await waitFor(() => farm.get(), isName, 'a client request through the VIP', 10_000);
    const macA = await farm.mac('dira');
    await waitFor(
      () => farm.clientNeighbour(),
      (m) => m === macA,
      "the client's entry to hold dira's MAC",
      10_000,
    );
    await waitFor(
      () => c.checkSteady().then(() => true),
      (ok) => ok,
      `${c.name} to be steady`,
      15_000,
    );
  } catch (e) {
    if (e instanceof Error) e.message = `${e.message}\n${c.diagnostics()}`;
    throw e;
  }
}

async function report(r: FailoverResult): Promise<void> {
  const dists: Partial<Record<System, Distribution>> = {};
  for (const [sys, times] of Object.entries(r.runs) as [System, number[]][]) {
    const d = distribution(times);
    if (d) dists[sys] = d;
  }
  process.stdout.write(`\n${renderFailover(r, dists)}\n`);
  const dir = join(ROOT, '.bench');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `failover-${r.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(r, null, 2)}\n`);
  log(`wrote ${file}`);
}

function log(line: string): void {
  process.stderr.write(`failover-bench: ${line}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`failover-bench: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
