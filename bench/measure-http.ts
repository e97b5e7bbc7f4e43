import { run } from './exec.ts';
import type { Netns } from './netns.ts';
import { cpuSeconds } from './proc-stats.ts';
import { type Sample, withCpu } from './sample.ts';
import { HOST } from './topology.ts';
import { parseWrk, wrkArgv } from './wrk.ts';

/**
 * wrk -t1 -cN -dD against `port`: keep-alive, or `close` (one TCP connection per request). Value: req/s.
 * CPU: µs of `cpuPid` (the proxy; for direct, nginx) per request.
 */
export async function measureHttp(
  ns: Netns,
  port: number,
  o: { durationS: number; connections: number; close: boolean },
  cpuPid: number | undefined,
): Promise<Sample> {
  const argv = ns.exec(wrkArgv(`http://${HOST}:${port}/`, o));
  const { result, cpuS } = await withCpu(cpuPid, cpuSeconds, () => run(argv, (o.durationS + 30) * 1000));
  if (result.code !== 0) throw new Error(`wrk failed (${result.code}): ${result.out.slice(0, 500)}`);
  const w = parseWrk(result.out);
  const sample: Sample = { value: w.reqPerSec, errors: w.errors };
  return cpuS === undefined || w.requests === 0 ? sample : { ...sample, cpu: (cpuS / w.requests) * 1e6 };
}
