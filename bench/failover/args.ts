/** Command line of the failover benchmark (bench/failover-bench.ts, `npm run bench -- --only failover`). */

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
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const eq = flag.indexOf('=');
    const name = eq >= 0 ? flag.slice(0, eq) : flag;
    const inline = eq >= 0 ? flag.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    try {
      switch (name) {
        case '--runs':
          o.runs = wholeNumber(name, value(), 1);
          break;
        case '--systems':
          o.systems = systems(value());
          break;
        case '--jitter':
          o.jitterS = seconds(name, value());
          break;
        case '--connections':
          o.connections = wholeNumber(name, value(), 1);
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

/** The failover benchmark's own argv when bench.ts is asked for `--only failover`, else undefined. */
export function failoverArgv(argv: readonly string[]): string[] | undefined {
  const out: string[] = [];
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--only') only = argv[++i];
    else if (a.startsWith('--only=')) only = a.slice('--only='.length);
    else out.push(a);
  }
  return only === 'failover' ? out : undefined;
}

function wholeNumber(name: string, v: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, not ${v}`);
  return Number(v);
}

function seconds(name: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v);
  if (!m) throw new Error(`${name} must be a duration like 5s or 500ms, not ${v}`);
  return m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
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
