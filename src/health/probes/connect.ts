import { type Socket, connect } from 'node:net';
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
  if (signal.aborted) return Promise.resolve({ ok: false, reason: 'aborted before connect' });
  return new Promise((resolve) => new ConnectAttempt(connect({ host, port }), signal, resolve));
}

/**
 * One connect check. Listeners are methods bound once per attempt, not named arrow functions: under tsx
 * (esbuild keepNames) each named arrow costs an Object.defineProperty, and this runs 1,000 times a second
 * at scale (docs/BENCHMARKS.md "Health checking at scale").
 */
class ConnectAttempt {
  readonly #socket: Socket;
  readonly #signal: AbortSignal;
  readonly #resolve: (r: ProbeResult) => void;
  readonly #onAbort = this.#aborted.bind(this);

  constructor(socket: Socket, signal: AbortSignal, resolve: (r: ProbeResult) => void) {
    this.#socket = socket;
    this.#signal = signal;
    this.#resolve = resolve;
    signal.addEventListener('abort', this.#onAbort, { once: true });
    socket.once('connect', this.#connected.bind(this));
    socket.once('error', this.#failed.bind(this));
  }

  #done(r: ProbeResult): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#socket.destroy();
    this.#resolve(r);
  }

  #aborted(): void {
    this.#done({ ok: false, reason: 'connect timed out' });
  }

  #connected(): void {
    this.#done({ ok: true, detail: 'connected' });
  }

  #failed(e: NodeJS.ErrnoException): void {
    this.#done({ ok: false, reason: `connect: ${e.code ?? e.message}` });
  }
}
