import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { checkSettings, type SettingsRules } from './dialogue-settings.ts';
import { type Conversation, dialogue, fail, quote } from './line-protocol.ts';

/**
 * imap (ldirectord `service = imap`, RFC 3501): up iff the greeting is `* OK` and, when `login` is set,
 * `a1 LOGIN "login" "password"` is answered `a1 OK` (untagged lines before it are skipped); then
 * `a2 LOGOUT`. The password never appears in a reason.
 */
const RULES: SettingsRules = { type: 'imap', reads: ['login', 'password'], passwordNeedsLogin: true };

/** An RFC 3501 quoted string (backslash and double quote escaped). */
export function imapQuoted(s: string): string {
  return `"${s.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** Read until the line tagged `tag`; return its status word and text. */
async function tagged(c: Conversation, tag: string): Promise<{ status: string; line: string }> {
  for (;;) {
    const line = await c.line();
    if (line.startsWith(`${tag} `)) {
      const status = line.slice(tag.length + 1).split(' ', 1)[0] ?? '';
      return { status: status.toUpperCase(), line };
    }
    if (!line.startsWith('* ') && !line.startsWith('+'))
      fail(`unexpected line from ${c.peer}: ${quote(line)}`);
  }
}

export async function imapDialogue(c: Conversation, settings: ProbeSettings): Promise<ProbeResult> {
  const greeting = await c.line();
  if (!/^\* OK\b/i.test(greeting)) fail(`greeting: expected * OK, got ${quote(greeting)}`);
  if (settings.login) {
    c.send(`a1 LOGIN ${imapQuoted(settings.login)} ${imapQuoted(settings.password ?? '')}\r\n`);
    const r = await tagged(c, 'a1');
    if (r.status !== 'OK') fail(`LOGIN: expected a1 OK, got ${quote(r.line)}`);
  }
  c.finish('a2 LOGOUT\r\n');
  return settings.login ? { ok: true, detail: `logged in as ${settings.login}` } : { ok: true };
}

export const imapProbe: ProbeFactory = {
  type: 'imap',
  summary: 'IMAP greeting * OK; LOGIN answered OK when login is set; LOGOUT',
  validate: (settings: ProbeSettings, target) => checkSettings(RULES, settings, target),
  create(): Probe {
    return {
      type: 'imap',
      run: (target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal) =>
        dialogue(target.address, target.port, signal, (c) => imapDialogue(c, settings)),
    };
  },
};
