import { join } from 'node:path';
import { run } from './exec.ts';
import type { NsExec } from './netns.ts';
import type { Endpoint } from './topology.ts';
import { ROOT } from './peers.ts';
import { cpuSeconds } from './proc-stats.ts';
import { type Sample, withCpu } from './sample.ts';

export interface UdpLoadResult {
  readonly replies: number;
  readonly sent: number;
  readonly seconds: number;
  readonly perSec: number;
}

/** The JSON line bench/clients/udp-load.ts prints. */
export function parseUdpLoad(out: string): UdpLoadResult {
  const line = out
    .trim()
    .split('\n')
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`udp load: no result in ${out.slice(0, 300)}`);
  const r = JSON.parse(line) as UdpLoadResult;
  if (![r.replies, r.sent, r.seconds, r.perSec].every(Number.isFinite))
    throw new Error('udp load: bad result');
  return r;
}

/** Bytes per datagram and datagrams in flight of the UDP load. */
export const UDP_SIZE = 64;
export const UDP_WINDOW = 32;

/**
 * Echoed 64-byte datagrams per second from `client` through `target` with 32 in flight. CPU: µs of `cpuPid` (the proxy;
 * for direct, the echo server) per echoed datagram (each is two datagrams through a proxy).
 */
export async function measureUdp(
  client: NsExec,
  target: Endpoint,
  durationS: number,
  cpuPid: number | undefined,
): Promise<Sample> {
  const script = join(ROOT, 'bench/clients/udp-load.ts');
  const args = [target.host, String(target.port), String(durationS), String(UDP_WINDOW), String(UDP_SIZE)];
  const argv = client.exec([process.execPath, '--import', 'tsx', script, ...args]);
  const { result, cpuS } = await withCpu(cpuPid, cpuSeconds, () => run(argv, (durationS + 30) * 1000, ROOT));
  if (result.code !== 0) throw new Error(`udp load failed (${result.code}): ${result.out.slice(0, 500)}`);
  const r = parseUdpLoad(result.stdout);
  // The last window is still in flight when the run stops; only datagrams beyond it were lost.
  const sample: Sample = { value: r.perSec, errors: Math.max(0, r.sent - r.replies - UDP_WINDOW) };
  return cpuS === undefined || r.replies === 0 ? sample : { ...sample, cpu: (cpuS / r.replies) * 1e6 };
}
