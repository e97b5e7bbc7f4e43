import { hostname } from 'node:os';
import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { checkSettings, type SettingsRules } from './dialogue-settings.ts';
import { type Conversation, codedReply, dialogue, expectCode, fail, quote } from './line-protocol.ts';

/**
 * smtp (ldirectord `service = smtp`): the RFC 5321 opening. Up iff the greeting is 220 and EHLO — or HELO
 * when the server refuses EHLO with 5xx (an RFC 821 server) — is answered 250; then QUIT. Reads no settings.
 */
const RULES: SettingsRules = { type: 'smtp', reads: [] };

export async function smtpDialogue(c: Conversation, heloName: string): Promise<ProbeResult> {
  await expectCode(c, 'greeting', 220);
  c.send(`EHLO ${heloName}\r\n`);
  const ehlo = await codedReply(c);
  if (ehlo.code >= 500 && ehlo.code < 600) {
    c.send(`HELO ${heloName}\r\n`);
    await expectCode(c, 'HELO', 250);
    c.finish('QUIT\r\n');
    return { ok: true, detail: 'HELO accepted (EHLO refused)' };
  }
  if (ehlo.code !== 250) fail(`EHLO: expected 250, got ${ehlo.code} ${quote(ehlo.lines[0] ?? '')}`);
  c.finish('QUIT\r\n');
  return { ok: true };
}

export const smtpProbe: ProbeFactory = {
  type: 'smtp',
  summary: 'SMTP greeting 220, EHLO (or HELO) 250, QUIT',
  validate: (settings: ProbeSettings, target) => checkSettings(RULES, settings, target),
  create(): Probe {
    const heloName = hostname() || 'localhost';
    return {
      type: 'smtp',
      run: (target: ProbeTarget, _settings: ProbeSettings, signal: AbortSignal) =>
        dialogue(target.address, target.port, signal, (c) => smtpDialogue(c, heloName)),
    };
  },
};
