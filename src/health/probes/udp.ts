import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { errorReason, excerpt, finisher } from './probe-finish.ts';
import { escapeProblems, expandEscapes } from './send-escapes.ts';
import { receivePattern, receiveProblems, required } from './settings-rules.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * `udp` send/expect: send `request` (escapes expanded) as one datagram from a socket connected to the
 * check address and port; the FIRST reply decides: up iff it matches `receive` (any reply when unset).
 * An ICMP port unreachable (ECONNREFUSED on the connected socket) is down at once; silence is down when
 * the check is aborted. `request` is sent as UTF-8; replies are decoded as UTF-8 before matching.
 */
export const udpProbe: ProbeFactory = {
  type: 'udp',
  summary: 'UDP send/expect: send `request` as a datagram, up when the reply matches `receive`',
  validate(settings: ProbeSettings, target: { protocol: 'tcp' | 'udp' }): string[] {
    const problems = unusedSettings('udp', settings, ['request', 'receive']);
    if (target.protocol !== 'udp') {
      problems.push('type: udp send/expect needs a UDP service; use type tcp for a TCP service');
    }
    problems.push(
      ...required('udp', settings, 'request', 'the datagram to send'),
      ...escapeProblems('request', settings.request ?? ''),
      ...receiveProblems(settings),
    );
    return problems;
  },
  create: (): Probe => ({ type: 'udp', run: sendExpect }),
};

function sendExpect(target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal): Promise<ProbeResult> {
  let socket: Socket | undefined;
  const f = finisher(signal, () => closeQuietly(socket));
  if (f.done) return f.result;
  const receive = receivePattern(settings);
  const payload = Buffer.from(expandEscapes(settings.request ?? ''), 'utf8');
  const s = createSocket(isIPv6(target.address) ? 'udp6' : 'udp4');
  socket = s;
  s.on('error', (e: NodeJS.ErrnoException) =>
    f.fail(e.code === 'ECONNREFUSED' ? 'ECONNREFUSED: port unreachable' : errorReason(e)),
  );
  s.on('message', (msg: Buffer) => {
    const text = msg.toString('utf8');
    if (receive === undefined) f.finish({ ok: true, detail: `got ${excerpt(text)}` });
    else if (receive.test(text)) f.finish({ ok: true, detail: `reply matched ${receive}` });
    else f.fail(`reply did not match ${receive}; got ${excerpt(text)}`);
  });
  s.connect(target.port, target.address, () => {
    if (f.done) return;
    s.send(payload, (e) => {
      if (e) f.fail(errorReason(e));
    });
  });
  return f.result;
}

function closeQuietly(socket: Socket | undefined): void {
  try {
    socket?.close();
  } catch {
    // already closed (ERR_SOCKET_DGRAM_NOT_RUNNING)
  }
}
