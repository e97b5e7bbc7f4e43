import { run } from './exec.ts';
import type { NsExec } from './netns.ts';
import { cpuSeconds } from './proc-stats.ts';
import { type Sample, withCpu } from './sample.ts';
import type { Endpoint } from './topology.ts';
import { parseWrk, wrkArgv } from './wrk.ts';

/**
 * wrk -t1 -cN -dD from `client` against `target`: keep-alive, or `close` (one TCP connection per request).
 * Value: req/s; p99 latency. CPU: µs of `cpuPid` (the proxy; for direct, nginx) per request.
 */
export async function measureHttp(
  client: NsExec,
  target: Endpoint,
  o: { durationS: number; connections: number; close: boolean },
  cpuPid: number | undefined,
): Promise<Sample> {
  const argv = client.exec(wrkArgv(`http://${target.host}:${target.port}/`, o));
  const { result, cpuS } = await withCpu(cpuPid, cpuSeconds, () => run(argv, (o.durationS + 30) * 1000));
  if (result.code !== 0) throw new Error(`wrk failed (${result.code}): ${result.out.slice(0, 500)}`);
  const w = parseWrk(result.out);
  const sample: Sample = {
    value: w.reqPerSec,
    errors: w.errors,
    ...(w.p99Ms === undefined ? {} : { p99Ms: w.p99Ms }),
  };
  return cpuS === undefined || w.requests === 0 ? sample : { ...sample, cpu: (cpuS / w.requests) * 1e6 };
}
