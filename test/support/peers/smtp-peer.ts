import { type LinePeer, type LineSession, startLinePeer } from './line-peer.ts';

/**
 * A minimal SMTP server (RFC 5321 §4.1, §4.2, §4.3.2): greeting, EHLO with a multi-line 250 reply, HELO,
 * NOOP, RSET, QUIT 221; anything else 500. `rfc821` makes it refuse EHLO with 502 as a pre-ESMTP server
 * does; `greeting` replaces the 220 line (e.g. a 554 refusal).
 */
export interface SmtpPeerOptions {
  readonly rfc821?: boolean;
  readonly greeting?: string;
}

export function startSmtpPeer(opts: SmtpPeerOptions = {}): Promise<LinePeer> {
  return startLinePeer(
    (): LineSession => ({
      start: (c) => c.send(opts.greeting ?? '220 mail.test ESMTP webfarm-test-peer\r\n'),
      line(c, line) {
        const verb = line.split(' ', 1)[0]!.toUpperCase();
        const arg = line.slice(verb.length + 1);
        if (verb === 'EHLO' && !opts.rfc821) {
          if (!arg) return c.send('501 5.5.4 EHLO needs a domain\r\n');
          return c.send(
            `250-mail.test greets ${arg}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10240000\r\n`,
          );
        }
        if (verb === 'EHLO') return c.send('502 Command not implemented\r\n');
        if (verb === 'HELO') return c.send(arg ? `250 mail.test\r\n` : '501 HELO needs a domain\r\n');
        if (verb === 'NOOP' || verb === 'RSET') return c.send('250 2.0.0 OK\r\n');
        if (verb === 'QUIT') return c.end('221 2.0.0 Bye\r\n');
        c.send('500 5.5.2 Command unrecognized\r\n');
      },
    }),
  );
}
