import { connect } from 'node:net';
import type { Probe, ProbeFactory, ProbeResult, ProbeSettings } from '../probe.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * ldirectord checktype=connect: up iff a TCP connection to the check address and port is established
 * before the signal aborts. The connection is closed at once (no bytes sent). TCP only: ldirectord pings
 * UDP reals instead, which needs raw sockets; a UDP service uses the `udp` send/expect probe.
 */
export const connectProbe: ProbeFactory = {
  type: 'connect',
  summary: 'TCP connect to the check port; up when the handshake completes',
  validate(settings: ProbeSettings, target: { protocol: 'tcp' | 'udp' }) {
    const problems = unusedSettings('connect', settings);
    if (target.protocol !== 'tcp') {
      problems.push('type: connect checks TCP only; use type udp (send/expect) for a UDP service');
    }
    return problems;
  },
  create(): Probe {
    return {
      type: 'connect',
      run: (target, _settings, signal) => tcpConnect(target.address, target.port, signal),
    };
  },
};

function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, reason: 'aborted before connect' });
    const socket = connect({ host, port });
    const done = (r: ProbeResult) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const onAbort = () => done({ ok: false, reason: 'connect timed out' });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done({ ok: true, detail: 'connected' }));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done({ ok: false, reason: `connect: ${e.code ?? e.message}` }),
    );
  });
}
