/** Command line of `npm run bench`. */
import { parseList, parseSeconds, walkFlags, wholeNumber } from './flags.ts';

/** `control`: the nft engine's control plane (apply time, one-server change, RSS), bench/control-phase.ts. */
export const MEASURES = ['keepalive', 'close', 'throughput', 'udp', 'idle', 'control'] as const;
export type Measure = (typeof MEASURES)[number];
/** Measures that carry traffic (everything but `control`). */
export type TrafficMeasure = Exclude<Measure, 'control'>;

/** `--only` group names. `nft`: the issue #5 figures — HTTP side by side with every engine + control plane. */
export const MEASURE_GROUPS: Readonly<Record<string, readonly Measure[]>> = {
  http: ['keepalive', 'close'],
  nft: ['keepalive', 'close', 'control'],
};

export const PATHS = ['direct', 'routed', 'haproxy', 'webfarm', 'nodepipe', 'nft-nat', 'nft-dr'] as const;
export type PathName = (typeof PATHS)[number];

export const PATH_GROUPS: Readonly<Record<string, readonly PathName[]>> = {
  nft: ['nft-nat', 'nft-dr'],
  proxies: ['haproxy', 'webfarm', 'nodepipe'],
};

export const SCHEDULERS = ['rr', 'wrr', 'mh'] as const;

/** One control-plane table size: `services` × `reals` real servers each, with one scheduler. */
export interface ControlSize {
  readonly services: number;
  readonly reals: number;
  readonly scheduler: (typeof SCHEDULERS)[number];
}

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
  /** Control-plane table sizes, measured in this order. */
  readonly controlSizes: readonly ControlSize[];
  /** Bound on each control-plane size (apply + changes), seconds; past it the size is reported as not done. */
  readonly controlTimeoutS: number;
  /** Regenerate the results section of docs/BENCHMARKS.md. */
  readonly writeDoc: boolean;
  /** Proxy variant for the `nodepipe` path (bench/scratch/pipe-proxy.ts). */
  readonly nodepipeVariant: string;
  readonly help: boolean;
  /** Re-render a saved result (.bench/*.json) instead of measuring; with --write-doc, into the doc. */
  readonly render: string | undefined;
}

export const DEFAULT_CONTROL: readonly ControlSize[] = [
  { services: 100, reals: 10, scheduler: 'wrr' },
  { services: 10, reals: 1000, scheduler: 'wrr' },
  { services: 100, reals: 1000, scheduler: 'wrr' },
  { services: 10, reals: 100, scheduler: 'mh' },
];

export const DEFAULTS: BenchOptions = {
  durationS: 5,
  rounds: 3,
  only: MEASURES,
  paths: ['direct', 'haproxy', 'webfarm', 'nft-nat', 'nft-dr'],
  idleConns: 9_000,
  connections: 50,
  controlSizes: DEFAULT_CONTROL,
  controlTimeoutS: 600,
  writeDoc: false,
  nodepipeVariant: 'pipe',
  help: false,
  render: undefined,
};

export const USAGE = `usage: npm run bench -- [options]
  --duration 5s        length of each run (s or ms suffix; plain number = seconds); --seconds N is the same
  --rounds 3           rounds per measurement (the table shows the median and the range)
  --only LIST          comma list of ${MEASURES.join(',')}
                       groups: http = keepalive,close; nft = keepalive,close,control (issue #5's figures)
  --only failover      instead: failover time vs keepalived and heartbeat jitter (bench/failover-bench.ts;
                       its options --runs --systems --jitter --connections pass through)
  --only health        instead: 1,000 health checks a second, checker CPU and RSS (bench/health-scale.ts;
                       its options --servers --interval-ms --seconds --warmup --baseline pass through)
  --paths LIST         comma list of ${PATHS.join(',')}
                       (default ${DEFAULTS.paths.join(',')}; groups: nft, proxies)
  --connections 50     wrk -c
  --idle-conns 9000    idle TCP connections for the RSS measurement (scaled to per 10,000;
                       the fd hard limit of 20,000 caps a proxy below 10,000)
  --control LIST       control-plane sizes SERVICESxREALS:SCHEDULER (rr|wrr|mh)
                       (default ${DEFAULT_CONTROL.map(formatControlSize).join(',')})
  --control-timeout 600s  bound on each control-plane size
  --nodepipe-variant V pipe|data|onread (bench/scratch/pipe-proxy.ts)
  --write-doc          rewrite the results section of docs/BENCHMARKS.md
  --render FILE        print (and with --write-doc, write) the tables of a saved .bench/*.json; no run
Needs root (ip netns, nft); otherwise it says why and exits 0 having measured nothing.`;

export type ArgsResult = { ok: true; value: BenchOptions } | { ok: false; error: string };

/** Parse argv (without node and script). Unknown options and bad values are errors. */
export function parseArgs(argv: readonly string[]): ArgsResult {
  const o: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = { ...DEFAULTS };
  const error = walkFlags(argv, (name, value) => {
    switch (name) {
      case '--duration':
      case '--seconds':
        o.durationS = parseSeconds(name, value());
        return true;
      case '--rounds':
        o.rounds = wholeNumber(name, value());
        return true;
      case '--only':
        o.only = parseList(name, value(), MEASURES, MEASURE_GROUPS);
        return true;
      case '--paths':
        o.paths = parseList(name, value(), PATHS, PATH_GROUPS);
        return true;
      case '--connections':
        o.connections = wholeNumber(name, value());
        return true;
      case '--idle-conns':
        o.idleConns = wholeNumber(name, value());
        return true;
      case '--control':
        o.controlSizes = value().split(',').filter(Boolean).map(parseControlSize);
        return true;
      case '--control-timeout':
        o.controlTimeoutS = parseSeconds(name, value());
        return true;
      case '--nodepipe-variant':
        o.nodepipeVariant = value();
        return true;
      case '--render':
        o.render = value();
        return true;
      case '--write-doc':
        o.writeDoc = true;
        return true;
      case '--help':
      case '-h':
        o.help = true;
        return true;
      default:
        return false;
    }
  });
  return error === undefined ? { ok: true, value: o } : { ok: false, error };
}

/** "100x1000:wrr" → { services: 100, reals: 1000, scheduler: 'wrr' }. */
export function parseControlSize(text: string): ControlSize {
  const m = /^(\d+)x(\d+):(\w+)$/.exec(text);
  const scheduler = m?.[3] as ControlSize['scheduler'];
  if (!m || !SCHEDULERS.includes(scheduler) || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new Error(
      `--control: bad size "${text}" (SERVICESxREALS:${SCHEDULERS.join('|')}, e.g. 100x1000:wrr)`,
    );
  return { services: Number(m[1]), reals: Number(m[2]), scheduler };
}

export function formatControlSize(s: ControlSize): string {
  return `${s.services}x${s.reals}:${s.scheduler}`;
}

/**
 * bench/nft-bench.ts's argv as `npm run bench` options: `--only nft` (`--control-only`: `--only control`)
 * and one round, unless given.
 */
export function nftBenchArgv(argv: readonly string[]): string[] {
  const rest = argv.filter((a) => a !== '--control-only');
  const only = argv.includes('--control-only') ? 'control' : 'nft';
  const defaults = [
    ...(rest.some((a) => a === '--rounds' || a.startsWith('--rounds=')) ? [] : ['--rounds', '1']),
    ...(rest.some((a) => a === '--only' || a.startsWith('--only=')) ? [] : ['--only', only]),
  ];
  return [...defaults, ...rest];
}

/** "5s" | "500ms" | "5" → seconds (> 0). */
export function parseDuration(text: string): number {
  return parseSeconds('duration', text);
}
