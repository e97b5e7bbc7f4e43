import { connect, type Socket } from 'node:net';
import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { errorReason, excerpt, finisher } from './probe-finish.ts';
import { escapeProblems, expandEscapes } from './send-escapes.ts';
import { receivePattern, receiveProblems } from './settings-rules.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * `tcp` send/expect (ldirectord simpletcp): connect, send `request` (escapes expanded, see send-escapes.ts;
 * nothing when absent: the peer's banner is read), then read until what came back matches `receive` (up)
 * or the peer closes, READ_LIMIT bytes pass, or the check is aborted (down). Without `receive`, the first
 * byte received is up. `request` is sent as UTF-8 and replies are decoded as UTF-8 before matching.
 */
export const READ_LIMIT = 64 * 1024;

export const tcpProbe: ProbeFactory = {
  type: 'tcp',
  summary: 'TCP send/expect: send `request`, up when the reply matches `receive` (any reply when unset)',
  validate(settings: ProbeSettings, target: { protocol: 'tcp' | 'udp' }): string[] {
    const problems = unusedSettings('tcp', settings, ['request', 'receive']);
    if (target.protocol !== 'tcp') {
      problems.push('type: tcp send/expect needs a TCP service; use type udp for a UDP service');
    }
    problems.push(...escapeProblems('request', settings.request ?? ''), ...receiveProblems(settings));
    return problems;
  },
  create: (): Probe => ({ type: 'tcp', run: sendExpect }),
};

function sendExpect(target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal): Promise<ProbeResult> {
  let socket: Socket | undefined;
  const f = finisher(signal, () => socket?.destroy());
  if (f.done) return f.result;
  const receive = receivePattern(settings);
  const payload = Buffer.from(expandEscapes(settings.request ?? ''), 'utf8');
  const s = connect({ host: target.address, port: target.port });
  socket = s;
  let bytes = Buffer.alloc(0);
  let got = '';
  s.on('connect', () => {
    if (payload.length > 0) s.write(payload);
  });
  s.on('data', (chunk: Buffer) => {
    bytes = Buffer.concat([bytes, chunk]).subarray(0, READ_LIMIT);
    got = bytes.toString('utf8');
    if (receive === undefined) f.finish({ ok: true, detail: `got ${excerpt(got)}` });
    else if (receive.test(got)) f.finish({ ok: true, detail: `reply matched ${receive}` });
    else if (bytes.length >= READ_LIMIT) f.fail(`no match for ${receive} in the first ${READ_LIMIT} bytes`);
  });
  s.on('end', () => {
    f.fail(
      receive === undefined
        ? 'connection closed by peer before it sent anything'
        : `connection closed by peer before ${receive} matched; got ${excerpt(got)}`,
    );
  });
  s.on('error', (e) => f.fail(errorReason(e)));
  return f.result;
}
