import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { checkSettings, type SettingsRules } from './dialogue-settings.ts';
import { type Conversation, dialogue, fail, quote } from './line-protocol.ts';

/**
 * pop (ldirectord `service = pop`, RFC 1939): up iff the greeting is `+OK` and, when `login` is set, USER and
 * PASS (`password`, empty when absent) are both answered `+OK`; then QUIT. The password never appears in a
 * reason.
 */
const RULES: SettingsRules = { type: 'pop', reads: ['login', 'password'], passwordNeedsLogin: true };

async function expectOk(c: Conversation, step: string): Promise<void> {
  const line = await c.line();
  if (!line.startsWith('+OK')) fail(`${step}: expected +OK, got ${quote(line)}`);
}

export async function popDialogue(c: Conversation, settings: ProbeSettings): Promise<ProbeResult> {
  await expectOk(c, 'greeting');
  if (settings.login) {
    c.send(`USER ${settings.login}\r\n`);
    await expectOk(c, 'USER');
    c.send(`PASS ${settings.password ?? ''}\r\n`);
    await expectOk(c, 'PASS');
  }
  c.finish('QUIT\r\n');
  return settings.login ? { ok: true, detail: `logged in as ${settings.login}` } : { ok: true };
}

export const popProbe: ProbeFactory = {
  type: 'pop',
  summary: 'POP3 greeting +OK; USER/PASS +OK when login is set; QUIT',
  validate: (settings: ProbeSettings, target) => checkSettings(RULES, settings, target),
  create(): Probe {
    return {
      type: 'pop',
      run: (target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal) =>
        dialogue(target.address, target.port, signal, (c) => popDialogue(c, settings)),
    };
  },
};
