/** Command line of `npm run bench`. */

export const MEASURES = ['keepalive', 'close', 'throughput', 'udp', 'idle'] as const;
export type Measure = (typeof MEASURES)[number];

export const PATHS = ['direct', 'webfarm', 'haproxy', 'nodepipe'] as const;
export type PathName = (typeof PATHS)[number];

export interface BenchOptions {
  /** Length of one wrk / iperf3 / UDP run, seconds. */
  readonly durationS: number;
  readonly rounds: number;
  readonly only: readonly Measure[];
  readonly paths: readonly PathName[];
  /** Idle TCP connections opened per proxy for the RSS measurement. */
  readonly idleConns: number;
  /** wrk -c */
  readonly connections: number;
  /** Regenerate the results section of docs/BENCHMARKS.md. */
  readonly writeDoc: boolean;
  /** Proxy variant for the `nodepipe` path (bench/scratch/pipe-proxy.ts). */
  readonly nodepipeVariant: string;
  readonly help: boolean;
  /** Re-render a saved result (.bench/*.json) instead of measuring; with --write-doc, into the doc. */
  readonly render: string | undefined;
}

export const DEFAULTS: BenchOptions = {
  durationS: 5,
  rounds: 3,
  only: MEASURES,
  paths: ['direct', 'webfarm', 'haproxy'],
  idleConns: 9_000,
  connections: 50,
  writeDoc: false,
  nodepipeVariant: 'pipe',
  help: false,
  render: undefined,
};

export const USAGE = `usage: npm run bench -- [options]
  --duration 5s        length of each run (s or ms suffix; plain number = seconds)
  --rounds 3           rounds per measurement (the table shows the median and the range)
  --only LIST          comma list of ${MEASURES.join(',')}
  --only failover      instead: failover time vs keepalived and heartbeat jitter (bench/failover-bench.ts;
                       its options --runs --systems --jitter --connections pass through)
  --paths LIST         comma list of ${PATHS.join(',')} (default direct,webfarm,haproxy)
  --connections 50     wrk -c
  --idle-conns 9000    idle TCP connections for the RSS measurement (scaled to per 10,000;
                       the fd hard limit of 20,000 caps a proxy below 10,000)
  --nodepipe-variant V pipe|data|onread (bench/scratch/pipe-proxy.ts)
  --write-doc          rewrite the results section of docs/BENCHMARKS.md
  --render FILE        print (and with --write-doc, write) the tables of a saved .bench/*.json; no run
Needs root (ip netns); otherwise it says why and exits 0 having measured nothing.`;

export type ArgsResult = { ok: true; value: BenchOptions } | { ok: false; error: string };

/** Parse argv (without node and script). Unknown options and bad values are errors. */
export function parseArgs(argv: readonly string[]): ArgsResult {
  const o: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const [name, inline] = flag.includes('=') ? splitOnce(flag) : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    try {
      switch (name) {
        case '--duration':
          o.durationS = parseDuration(value());
          break;
        case '--rounds':
          o.rounds = positiveInt(name, value());
          break;
        case '--only':
          o.only = parseList(value(), MEASURES, name);
          break;
        case '--paths':
          o.paths = parseList(value(), PATHS, name);
          break;
        case '--connections':
          o.connections = positiveInt(name, value());
          break;
        case '--idle-conns':
          o.idleConns = positiveInt(name, value());
          break;
        case '--nodepipe-variant':
          o.nodepipeVariant = value();
          break;
        case '--render':
          o.render = value();
          break;
        case '--write-doc':
          o.writeDoc = true;
          break;
        case '--help':
        case '-h':
          o.help = true;
          break;
        default:
          return { ok: false, error: `unknown option ${flag}` };
      }
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }
  return { ok: true, value: o };
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('=');
  return [s.slice(0, i), s.slice(i + 1)];
}

/** "5s" | "500ms" | "5" → seconds (> 0). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!m) throw new Error(`bad duration "${text}" (use 5s or 500ms)`);
  const n = Number(m[1]) / (m[2] === 'ms' ? 1000 : 1);
  if (n <= 0) throw new Error(`duration must be positive`);
  return n;
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer, got "${text}"`);
  return n;
}

function parseList<T extends string>(text: string, allowed: readonly T[], name: string): T[] {
  const items = text.split(',').filter((s) => s !== '');
  for (const s of items) {
    if (!allowed.includes(s as T)) throw new Error(`${name}: unknown "${s}" (one of ${allowed.join(',')})`);
  }
  if (items.length === 0) throw new Error(`${name} needs at least one item`);
  return allowed.filter((a) => items.includes(a));
}
