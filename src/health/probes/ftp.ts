import { isIPv6 } from 'node:net';
import { hostname } from 'node:os';
import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { checkSettings, type SettingsRules } from './dialogue-settings.ts';
import { Conversation, codedReply, dialogue, expectCode, fail, quote } from './line-protocol.ts';

/**
 * ftp (ldirectord `service = ftp`, RFC 959): greeting 220; USER `login` (default `anonymous`) and, unless
 * USER is already 230, PASS `password` (default `ldirectord@<hostname>`); CWD /; TYPE I; PASV (EPSV, RFC
 * 2428, for an IPv6 target); RETR `request` over the passive data connection. Up iff the transfer
 * completes (226/250) and a line of the data matches `receive` (any data when `receive` is empty); QUIT.
 * The data connection always goes to the target's address, never to the one PASV names (NAT-safe and no
 * bounce).
 */
const RULES: SettingsRules = {
  type: 'ftp',
  reads: ['login', 'password', 'request', 'receive'],
  requires: { request: 'the file to retrieve' },
  regex: ['receive'],
};

/** Largest file the check retrieves (bytes); a bigger one is down: a check file should be small. */
export const FTP_MAX_BYTES = 4 * 1024 * 1024;

/** The data port from a 227 reply `(h1,h2,h3,h4,p1,p2)`. */
export function pasvPort(text: string): number | undefined {
  const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(text);
  if (!m) return undefined;
  const port = Number(m[5]) * 256 + Number(m[6]);
  return port > 0 && port < 65536 ? port : undefined;
}

/** The data port from a 229 reply `(|||port|)`. */
export function epsvPort(text: string): number | undefined {
  const m = /\((.)\1\1(\d{1,5})\1\)/.exec(text);
  const port = m ? Number(m[2]) : 0;
  return port > 0 && port < 65536 ? port : undefined;
}

/** Does a line of `data` match `receive`? (ldirectord matches line by line; empty = anything.) */
export function ftpDataMatches(data: Buffer, receive: string | undefined): boolean {
  if (!receive) return true;
  const re = new RegExp(receive);
  return data
    .toString('latin1')
    .split('\n')
    .some((line) => re.test(line.replace(/\r$/, '')));
}

async function login(c: Conversation, user: string, password: string): Promise<void> {
  c.send(`USER ${user}\r\n`);
  const r = await codedReply(c);
  if (r.code === 230) return;
  if (r.code !== 331 && r.code !== 332)
    fail(`USER: expected 331 or 230, got ${r.code} ${quote(r.lines[0] ?? '')}`);
  c.send(`PASS ${password}\r\n`);
  await expectCode(c, 'PASS', 230, 202);
}

async function passivePort(c: Conversation, v6: boolean): Promise<number> {
  c.send(v6 ? 'EPSV\r\n' : 'PASV\r\n');
  const lines = await expectCode(c, v6 ? 'EPSV' : 'PASV', v6 ? 229 : 227);
  const text = lines.join(' ');
  const port = v6 ? epsvPort(text) : pasvPort(text);
  if (port === undefined) fail(`${v6 ? 'EPSV' : 'PASV'}: no port in ${quote(text)}`);
  return port;
}

export async function ftpDialogue(
  c: Conversation,
  target: ProbeTarget,
  settings: ProbeSettings,
  signal: AbortSignal,
  defaultPassword: string,
): Promise<ProbeResult> {
  await expectCode(c, 'greeting', 220);
  await login(c, settings.login || 'anonymous', settings.password ?? defaultPassword);
  c.send('CWD /\r\n');
  await expectCode(c, 'CWD', 250);
  c.send('TYPE I\r\n');
  await expectCode(c, 'TYPE I', 200);
  const port = await passivePort(c, isIPv6(target.address));
  const data = await Conversation.open(target.address, port, signal);
  try {
    c.send(`RETR ${settings.request ?? ''}\r\n`);
    await expectCode(c, 'RETR', 1);
    const body = await data.rest(FTP_MAX_BYTES);
    await expectCode(c, 'transfer', 226, 250);
    if (!ftpDataMatches(body, settings.receive)) {
      fail(
        `RETR ${settings.request}: ${body.length} bytes, no line matches ${quote(settings.receive ?? '')}`,
      );
    }
    c.finish('QUIT\r\n');
    return { ok: true, detail: `retrieved ${body.length} bytes` };
  } finally {
    data.close();
  }
}

export const ftpProbe: ProbeFactory = {
  type: 'ftp',
  summary: 'FTP login, CWD /, TYPE I, passive RETR of request; the data must match receive',
  validate: (settings: ProbeSettings, target) => checkSettings(RULES, settings, target),
  create(): Probe {
    const defaultPassword = `ldirectord@${hostname() || 'localhost'}`;
    return {
      type: 'ftp',
      run: (target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal) =>
        dialogue(target.address, target.port, signal, (c) =>
          ftpDialogue(c, target, settings, signal, defaultPassword),
        ),
    };
  },
};
