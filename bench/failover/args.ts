/** Command line of the failover benchmark (bench/failover-bench.ts, `npm run bench -- --only failover`). */
import { parseSeconds, walkFlags, wholeNumber } from '../flags.ts';

export const SYSTEMS = ['webfarm', 'keepalived'] as const;
export type System = (typeof SYSTEMS)[number];

export interface FailoverOptions {
  /** Failovers measured per system. */
  readonly runs: number;
  readonly systems: readonly System[];
  /** Length of each heartbeat-gap capture (idle, then under wrk), seconds; 0 skips the jitter part. */
  readonly jitterS: number;
  /** wrk -c for the saturation load. */
  readonly connections: number;
  readonly help: boolean;
}

export const FAILOVER_DEFAULTS: FailoverOptions = {
  runs: 20,
  systems: SYSTEMS,
  jitterS: 5,
  connections: 100,
  help: false,
};

export const FAILOVER_USAGE = `usage: tsx bench/failover-bench.ts [options]   (or: npm run bench -- --only failover [options])
  --runs 20            failovers measured per system
  --systems LIST       comma list of ${SYSTEMS.join(',')}
  --jitter 5s          length of each heartbeat-gap capture (idle, then saturated); 0 skips it
  --connections 100    wrk -c for the saturation load
Needs root (ip netns), wrk, arping, socat, keepalived; otherwise it says why and exits 0 having measured nothing.`;

export type FailoverArgs = { ok: true; value: FailoverOptions } | { ok: false; error: string };

export function parseFailoverArgs(argv: readonly string[]): FailoverArgs {
  const o: { -readonly [K in keyof FailoverOptions]: FailoverOptions[K] } = { ...FAILOVER_DEFAULTS };
  const error = walkFlags(argv, (name, value) => {
    switch (name) {
      case '--runs':
        o.runs = wholeNumber(name, value(), 1);
        return true;
      case '--systems':
        o.systems = systems(value());
        return true;
      case '--jitter':
        o.jitterS = parseSeconds(name, value(), true);
        return true;
      case '--connections':
        o.connections = wholeNumber(name, value(), 1);
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

/** The failover benchmark's own argv when bench.ts is asked for `--only failover`, else undefined. */
export function failoverArgv(argv: readonly string[]): string[] | undefined {
  return standaloneArgv(argv, 'failover');
}

/** `--only NAME` for a benchmark that runs on its own (failover, health): the other arguments, else undefined. */
export function standaloneArgv(argv: readonly string[], name: string): string[] | undefined {
  const out: string[] = [];
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--only') only = argv[++i];
    else if (a.startsWith('--only=')) only = a.slice('--only='.length);
    else out.push(a);
  }
  return only === name ? out : undefined;
}

function systems(v: string): System[] {
  const out: System[] = [];
  for (const s of v.split(',')) {
    if (!(SYSTEMS as readonly string[]).includes(s)) throw new Error(`--systems: unknown system ${s}`);
    if (!out.includes(s as System)) out.push(s as System);
  }
  if (out.length === 0) throw new Error('--systems needs at least one system');
  return out;
}
