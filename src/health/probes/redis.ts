import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { checkSettings, type SettingsRules } from './dialogue-settings.ts';
import { type Conversation, dialogue, fail, quote } from './line-protocol.ts';

/**
 * redis: `PING` answered `+PONG` (RESP). With `password`, `AUTH [login] password` first must be `+OK`; a
 * `-NOAUTH` / `-WRONGPASS` / `-ERR` answer is down with the server's words (never the password). A server
 * still loading its data set (`-LOADING`) is down. Then QUIT.
 */
const RULES: SettingsRules = { type: 'redis', reads: ['login', 'password'] };

/** A RESP array of bulk strings (the form every Redis version accepts). */
export function respCommand(...args: string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${Buffer.byteLength(a, 'utf8')}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''), 'utf8');
}

async function simpleReply(c: Conversation, step: string, want: string): Promise<void> {
  const line = await c.line();
  if (line === `+${want}`) return;
  if (line.startsWith('-')) fail(`${step}: ${quote(line.slice(1))}`);
  fail(`${step}: expected +${want}, got ${quote(line)}`);
}

export async function redisDialogue(c: Conversation, settings: ProbeSettings): Promise<ProbeResult> {
  if (settings.password !== undefined) {
    const args = settings.login ? [settings.login, settings.password] : [settings.password];
    c.send(respCommand('AUTH', ...args));
    await simpleReply(c, 'AUTH', 'OK');
  }
  c.send(respCommand('PING'));
  await simpleReply(c, 'PING', 'PONG');
  c.finish(respCommand('QUIT'));
  return { ok: true };
}

export const redisProbe: ProbeFactory = {
  type: 'redis',
  summary: 'Redis PING answered +PONG (AUTH first when a password is set)',
  validate(settings: ProbeSettings, target) {
    const problems = checkSettings(RULES, settings, target);
    if (settings.login && settings.password === undefined)
      problems.push('login: needs a password (AUTH user password)');
    return problems;
  },
  create(): Probe {
    return {
      type: 'redis',
      run: (target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal) =>
        dialogue(target.address, target.port, signal, (c) => redisDialogue(c, settings)),
    };
  },
};
