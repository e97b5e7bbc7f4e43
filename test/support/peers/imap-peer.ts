import { type LinePeer, type LineSession, startLinePeer } from './line-peer.ts';

/**
 * A minimal IMAP4rev1 server (RFC 3501 §6.1–§6.2, §7.1): `* OK` greeting, CAPABILITY, NOOP, LOGIN with
 * atoms or quoted strings against `users` (an untagged CAPABILITY before the tagged OK, as Dovecot does),
 * LOGOUT with `* BYE`. Wrong credentials get `tag NO`; a malformed command `tag BAD`.
 */
export function startImapPeer(users: Readonly<Record<string, string>> = {}): Promise<LinePeer> {
  return startLinePeer(
    (): LineSession => ({
      start: (c) => c.send('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] webfarm-test-peer ready\r\n'),
      line(c, line) {
        const m = /^(\S+) (\S+)(?: (.*))?$/.exec(line);
        if (!m) return c.send('* BAD missing tag\r\n');
        const [, tag, cmd, rest] = m;
        switch (cmd!.toUpperCase()) {
          case 'CAPABILITY':
            return c.send(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
          case 'NOOP':
            return c.send(`${tag} OK done\r\n`);
          case 'LOGOUT':
            return c.end(`* BYE logging out\r\n${tag} OK LOGOUT completed\r\n`);
          case 'LOGIN': {
            const args = imapArgs(rest ?? '');
            if (args?.length !== 2) return c.send(`${tag} BAD LOGIN needs two arguments\r\n`);
            if (users[args[0]!] !== args[1]) return c.send(`${tag} NO [AUTHENTICATIONFAILED] failed\r\n`);
            return c.send(`* CAPABILITY IMAP4rev1 IDLE\r\n${tag} OK [CAPABILITY IMAP4rev1] Logged in\r\n`);
          }
          default:
            return c.send(`${tag} BAD unknown command\r\n`);
        }
      },
    }),
  );
}

/** Atoms and quoted strings (RFC 3501 §4.1, §4.3); undefined when malformed. */
export function imapArgs(text: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\["\\])*)"|([^\s"(){]+))/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    out.push(m[1] !== undefined ? m[1].replace(/\\(["\\])/g, '$1') : m[2]!);
    i = re.lastIndex;
  }
  return out;
}
