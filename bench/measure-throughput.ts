import { run } from './exec.ts';
import type { NsExec } from './netns.ts';
import { cpuSeconds } from './proc-stats.ts';
import { type Sample, withCpu } from './sample.ts';
import type { Endpoint } from './topology.ts';

export interface IperfResult {
  readonly bitsPerSecond: number;
  readonly bytes: number;
}

/** The receiver's totals from `iperf3 -J` output (end.sum_received). */
export function parseIperf(json: string): IperfResult {
  const j = JSON.parse(json) as {
    error?: string;
    end?: { sum_received?: { bits_per_second?: number; bytes?: number } };
  };
  if (j.error) throw new Error(`iperf3: ${j.error}`);
  const s = j.end?.sum_received;
  if (typeof s?.bits_per_second !== 'number' || typeof s.bytes !== 'number')
    throw new Error('iperf3: no sum_received');
  return { bitsPerSecond: s.bits_per_second, bytes: s.bytes };
}

/**
 * One TCP stream from `client` for `durationS` through `target` to `iperf3 -s` (client sends, 128 KiB writes).
 * Value: Gbit/s received. CPU: seconds of `cpuPid` (the proxy; for direct, none) per GB (1e9 bytes).
 */
export async function measureThroughput(
  client: NsExec,
  target: Endpoint,
  durationS: number,
  cpuPid: number | undefined,
): Promise<Sample> {
  const t = String(Math.max(1, Math.round(durationS)));
  const argv = client.exec([
    'iperf3',
    '-c',
    target.host,
    '-p',
    String(target.port),
    '-t',
    t,
    '-J',
    '--connect-timeout',
    '3000',
  ]);
  const { result, cpuS } = await withCpu(cpuPid, cpuSeconds, () => run(argv, (durationS + 30) * 1000));
  const r = parseIperf(result.stdout);
  const sample: Sample = { value: r.bitsPerSecond / 1e9 };
  return cpuS === undefined ? sample : { ...sample, cpu: cpuS / (r.bytes / 1e9) };
}
