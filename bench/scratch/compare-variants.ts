// Experiment driver: HAProxy (1 thread) vs several Node proxy variants (bench/scratch/pipe-proxy.ts and,
// if given, the webfarm entry), keep-alive and connection-per-request, rounds interleaved.
// argv: SECONDS ROUNDS VARIANT... where VARIANT is pipe|data|onread|raw|webfarm, optionally with node flags
// after '+', e.g. "data+--max-semi-space-size=32". Root only; same namespace rules as bench/bench.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Started, start, stopAll } from '../exec.ts';
import { measureHttp } from '../measure-http.ts';
import { createNetns, waitListening } from '../netns.ts';
import { NOFILE, ROOT, startHaproxy, startNginx } from '../peers.ts';
import { formatSummary, formatNumber } from '../report.ts';
import { summarize } from '../stats.ts';
import { BACKEND } from '../topology.ts';

async function bundle(script: string, outDir: string): Promise<string> {
  const out = join(outDir, `${script.replace(/\W/g, '_')}.mjs`);
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(ROOT, script)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
  });
  return out;
}

const [seconds = '3', rounds = '3', ...variants] = process.argv.slice(2);
const ns = await createNetns();
const dir = await mkdtemp(join(tmpdir(), 'wfbench-'));
const cleanup = async () => {
  await stopAll();
  await ns.delete();
  await rm(dir, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
try {
  await startNginx(ns, dir);
  const procs: Array<{ name: string; port: number; proc: Started }> = [];
  procs.push({
    name: 'haproxy',
    port: 18082,
    proc: await startHaproxy(ns, dir, [{ protocol: 'tcp', listen: 18082, backend: BACKEND.http }]),
  });
  let port = 18100;
  for (const v of variants) {
    const [variant, ...flags] = v.split('+') as [string, ...string[]];
    port++;
    const script = variant === 'webfarm' ? 'bench/webfarm-proxy.ts' : 'bench/scratch/pipe-proxy.ts';
    const args =
      variant === 'webfarm' ? [`tcp:${port}=${BACKEND.http}`] : [variant, `tcp:${port}=${BACKEND.http}`];
    // flag "notsx": run an esbuild bundle with plain node (no tsx loader, no source maps).
    const plain = flags.includes('notsx');
    const nodeFlags = flags.filter((f) => f !== 'notsx');
    const entry = plain ? await bundle(script, dir) : join(ROOT, script);
    const argv = [process.execPath, ...nodeFlags, ...(plain ? [] : ['--import', 'tsx']), entry, ...args];
    const proc = start(v, ns.exec(argv, { nofile: NOFILE }), ROOT);
    await waitListening(ns, [`tcp:${port}`]);
    procs.push({ name: v, port, proc });
  }
  const res = new Map<string, { ka: number[]; close: number[]; kaCpu: number[]; closeCpu: number[] }>();
  for (const p of procs) res.set(p.name, { ka: [], close: [], kaCpu: [], closeCpu: [] });
  for (let r = 0; r < Number(rounds); r++) {
    for (const close of [false, true]) {
      for (const p of procs) {
        const s = await measureHttp(
          ns,
          p.port,
          { durationS: Number(seconds), connections: 50, close },
          p.proc.pid,
        );
        const e = res.get(p.name)!;
        (close ? e.close : e.ka).push(s.value);
        (close ? e.closeCpu : e.kaCpu).push(s.cpu ?? 0);
        process.stderr.write(
          `${p.name} ${close ? 'close' : 'keepalive'} ${formatNumber(s.value)} (${formatNumber(s.cpu ?? 0)} µs)\n`,
        );
      }
    }
  }
  const ha = res.get('haproxy')!;
  const haKa = summarize(ha.ka)!.median;
  const haClose = summarize(ha.close)!.median;
  process.stdout.write(
    '| proxy | keep-alive req/s | µs/req | ×haproxy | close req/s | µs/req | ×haproxy |\n|---|---|---|---|---|---|---|\n',
  );
  for (const [name, e] of res) {
    const ka = summarize(e.ka)!;
    const cl = summarize(e.close)!;
    process.stdout.write(
      `| ${name} | ${formatSummary(ka)} | ${formatNumber(summarize(e.kaCpu)!.median)} | ${(ka.median / haKa).toFixed(2)} | ${formatSummary(cl)} | ${formatNumber(summarize(e.closeCpu)!.median)} | ${(cl.median / haClose).toFixed(2)} |\n`,
    );
  }
  for (const p of procs) {
    await p.proc.stop();
    process.stderr.write(`${p.name}: ${p.proc.output().trim().split('\n').slice(-1)[0]}\n`);
  }
} finally {
  await cleanup();
}
