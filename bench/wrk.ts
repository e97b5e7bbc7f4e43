/** Running wrk and reading its summary. */

export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly reqPerSec: number;
  /** connect + read + write + timeout errors and non-2xx/3xx responses. */
  readonly errors: number;
  /** 99th percentile latency, ms (from `--latency`); undefined when wrk printed no distribution. */
  readonly p99Ms: number | undefined;
}

/**
 * wrk argv for one run (one thread, latency distribution on); `close` adds `Connection: close` so every
 * request opens a new TCP connection.
 */
export function wrkArgv(
  url: string,
  o: { durationS: number; connections: number; close: boolean },
): string[] {
  const argv = [
    'wrk',
    '-t1',
    `-c${o.connections}`,
    `-d${Math.max(1, Math.round(o.durationS))}s`,
    '--latency',
  ];
  if (o.close) argv.push('-H', 'Connection: close');
  argv.push(url);
  return argv;
}

/**
 * Parse wrk's text summary:
 *   "  734410 requests in 5.00s, 110.96MB read"
 *   "  Socket errors: connect 0, read 12, write 0, timeout 0"
 *   "  Non-2xx or 3xx responses: 3"
 *   "     99%    1.20ms"            (the --latency distribution)
 *   "Requests/sec: 146822.14"
 */
export function parseWrk(out: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)\b/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!total || !rps) throw new Error(`unreadable wrk output: ${out.slice(0, 200)}`);
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[total[3] as 'us' | 'ms' | 's' | 'm'];
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors =
    (sock ? sock.slice(1, 5).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  const p99 = /^\s*99(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  const p99Unit = { us: 1e-3, ms: 1, s: 1e3, m: 60e3 }[(p99?.[2] ?? 'ms') as 'us' | 'ms' | 's' | 'm'];
  return {
    requests: Number(total[1]),
    seconds: Number(total[2]) * unit,
    reqPerSec: Number(rps[1]),
    errors,
    p99Ms: p99 ? Number(p99[1]) * p99Unit : undefined,
  };
}
