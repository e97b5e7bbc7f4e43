// Experiment driver: HAProxy (1 thread) vs several Node proxy variants, rounds interleaved, CPU split into
// user and system time per unit of work.
//   npx tsx bench/scratch/compare-variants.ts SECONDS ROUNDS MEASURES VARIANT...
// MEASURES: comma list of keepalive,close,throughput. VARIANT: webfarm | raw | pipe | data | onread |
// scratch-engine[:OPT,...] (bench/scratch/engine-proxy.ts), optionally followed by '+'-separated node
// flags, e.g. "data+--max-semi-space-size=32"; the flag "notsx" runs an esbuild bundle with plain node.
// Root only; same namespace rules as bench/bench.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Started, start, stopAll } from '../exec.ts';
import { measureHttp } from '../measure-http.ts';
import { measureThroughput } from '../measure-throughput.ts';
import { createNetns, type Netns, waitListening } from '../netns.ts';
import { NOFILE, ROOT, startHaproxy, startIperfServer, startNginx } from '../peers.ts';
import { cpuSplit } from '../proc-stats.ts';
import { formatNumber } from '../report.ts';
import type { Sample } from '../sample.ts';
import { summarize } from '../stats.ts';
import { BACKEND, type Forward, formatForward, loopForward } from '../topology.ts';
import { writeEngineCopy } from './engine-copy.ts';

type M = 'keepalive' | 'close' | 'throughput';
const UNIT: Record<M, [string, string]> = {
  keepalive: ['req/s', 'µs/req'],
  close: ['req/s', 'µs/req'],
  throughput: ['Gbit/s', 's/GB'],
};

/** Entry and argv of a variant. */
function scriptFor(variant: string, fwds: string[]): [string, string[]] {
  if (variant === 'webfarm') return ['bench/webfarm-proxy.ts', fwds];
  if (variant === 'raw') return ['bench/scratch/raw-proxy.ts', fwds];
  if (variant.startsWith('scratch-engine'))
    return ['.bench/scratch-engine/engine-proxy.ts', [variant, ...fwds]];
  return ['bench/scratch/pipe-proxy.ts', [variant, ...fwds]];
}

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

interface Proc {
  name: string;
  http: number;
  iperf: number;
  proc: Started;
}

async function startVariant(ns: Netns, dir: string, v: string, http: number, iperf: number): Promise<Proc> {
  const [variant, ...flags] = v.split('+') as [string, ...string[]];
  const fwds: Forward[] = [loopForward('tcp', http, BACKEND.http), loopForward('tcp', iperf, BACKEND.iperf)];
  const [script, args] = scriptFor(variant, fwds.map(formatForward));
  const plain = flags.includes('notsx');
  const nodeFlags = flags.filter((f) => f !== 'notsx');
  const entry = plain ? await bundle(script, dir) : join(ROOT, script);
  const argv = [process.execPath, ...nodeFlags, ...(plain ? [] : ['--import', 'tsx']), entry, ...args];
  const proc = start(v, ns.exec(argv, { nofile: NOFILE }), ROOT);
  await waitListening(ns, [`tcp:${http}`, `tcp:${iperf}`]);
  return { name: v, http, iperf, proc };
}

async function measure(ns: Netns, m: M, p: Proc, seconds: number): Promise<{ s: Sample; split: string }> {
  const c0 = cpuSplit(p.proc.pid);
  const s =
    m === 'throughput'
      ? await measureThroughput(ns, { host: '127.0.0.1', port: p.iperf }, seconds, p.proc.pid)
      : await measureHttp(
          ns,
          { host: '127.0.0.1', port: p.http },
          { durationS: seconds, connections: 50, close: m === 'close' },
          p.proc.pid,
        );
  const c1 = cpuSplit(p.proc.pid);
  // Units of work: requests, or GB for throughput.
  const work = m === 'throughput' ? (s.value * seconds) / 8 : s.value * seconds;
  const scale = m === 'throughput' ? 1 : 1e6;
  const per = (a: number, b: number) => formatNumber(((b - a) / work) * scale);
  return { s, split: `user ${per(c0.user, c1.user)} sys ${per(c0.sys, c1.sys)}` };
}

const [seconds = '3', rounds = '3', only = 'keepalive,close', ...variants] = process.argv.slice(2);
const measures = only.split(',') as M[];
const ns = await createNetns();
const dir = await mkdtemp(join(tmpdir(), 'wfbench-'));
const cleanup = async () => {
  await stopAll();
  await ns.delete();
  await rm(dir, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
try {
  if (variants.some((v) => v.startsWith('scratch-engine'))) writeEngineCopy();
  await startNginx(ns, dir);
  await startIperfServer(ns);
  const haFwds: Forward[] = [
    loopForward('tcp', 18082, BACKEND.http),
    loopForward('tcp', 15202, BACKEND.iperf),
  ];
  const procs: Proc[] = [
    { name: 'haproxy', http: 18082, iperf: 15202, proc: await startHaproxy(ns, dir, haFwds) },
  ];
  for (const [i, v] of variants.entries()) procs.push(await startVariant(ns, dir, v, 18101 + i, 15301 + i));
  const res = new Map<string, Map<M, { v: number[]; cpu: number[] }>>();
  for (const p of procs) res.set(p.name, new Map(measures.map((m) => [m, { v: [], cpu: [] }])));
  for (let r = 0; r < Number(rounds); r++) {
    for (const m of measures) {
      for (const p of procs) {
        const { s, split } = await measure(ns, m, p, Number(seconds));
        const e = res.get(p.name)?.get(m);
        e?.v.push(s.value);
        e?.cpu.push(s.cpu ?? 0);
        const [u, cu] = UNIT[m];
        process.stderr.write(
          `${p.name} ${m} ${formatNumber(s.value)} ${u} (${formatNumber(s.cpu ?? 0)} ${cu}: ${split})\n`,
        );
      }
    }
  }
  const med = (xs: number[] | undefined) => summarize(xs ?? [])?.median ?? Number.NaN;
  const head = measures.flatMap((m) => [`${m} ${UNIT[m][0]}`, UNIT[m][1], '×haproxy']);
  process.stdout.write(`| proxy | ${head.join(' | ')} |\n|${'---|'.repeat(head.length + 1)}\n`);
  for (const [name, byM] of res) {
    const cells = measures.flatMap((m) => {
      const e = byM.get(m);
      const ha = med(res.get('haproxy')?.get(m)?.v);
      return [formatNumber(med(e?.v)), formatNumber(med(e?.cpu)), (med(e?.v) / ha).toFixed(2)];
    });
    process.stdout.write(`| ${name} | ${cells.join(' | ')} |\n`);
  }
} finally {
  await cleanup();
}
