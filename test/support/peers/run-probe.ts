import type { ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../../../src/health/probe.ts';
import { LOOPBACK } from '../net.ts';

/** A check target on loopback (the virtual address is a placeholder: these probes do not read it). */
export function loopbackTarget(port: number, address = LOOPBACK): ProbeTarget {
  return { protocol: 'tcp', address, port, virtualAddress: address, virtualPort: port };
}

/** Run one check of `factory` against 127.0.0.1:port, aborted after `timeoutMs` as the monitor would abort it. */
export async function runProbe(
  factory: ProbeFactory,
  port: number,
  settings: ProbeSettings = {},
  timeoutMs = 5000,
  address = LOOPBACK,
): Promise<ProbeResult> {
  return factory.create().run(loopbackTarget(port, address), settings, AbortSignal.timeout(timeoutMs));
}

/** The reason of a failed check, or a message saying it unexpectedly passed. */
export function reasonOf(r: ProbeResult): string {
  return r.ok ? `(unexpectedly up${r.detail ? `: ${r.detail}` : ''})` : r.reason;
}

/** Run `body` with a started peer and close the peer afterwards, whatever happens. */
export async function withPeer<P extends { close(): Promise<void> }>(
  start: Promise<P>,
  body: (peer: P) => Promise<void>,
): Promise<void> {
  const peer = await start;
  try {
    await body(peer);
  } finally {
    await peer.close();
  }
}
