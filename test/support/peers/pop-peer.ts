import { type LinePeer, type LineSession, startLinePeer } from './line-peer.ts';

/**
 * A minimal POP3 server (RFC 1939 §4–§7): +OK greeting, USER/PASS against `users`, STAT and NOOP in the
 * transaction state, QUIT. Wrong credentials get -ERR as a real server answers them.
 */
export function startPopPeer(users: Readonly<Record<string, string>> = {}): Promise<LinePeer> {
  return startLinePeer((): LineSession => {
    let user: string | undefined;
    let authed = false;
    return {
      start: (c) => c.send('+OK POP3 webfarm-test-peer ready\r\n'),
      line(c, line) {
        const verb = line.split(' ', 1)[0]!.toUpperCase();
        const arg = line.slice(verb.length + 1);
        if (verb === 'QUIT') return c.end('+OK bye\r\n');
        if (authed)
          return c.send(verb === 'STAT' || verb === 'NOOP' ? '+OK 0 0\r\n' : '-ERR unknown command\r\n');
        if (verb === 'USER') {
          user = arg;
          return c.send('+OK send PASS\r\n');
        }
        if (verb === 'PASS') {
          if (user !== undefined && users[user] === arg) {
            authed = true;
            return c.send('+OK maildrop locked and ready\r\n');
          }
          user = undefined;
          return c.send('-ERR [AUTH] authentication failed\r\n');
        }
        c.send('-ERR unknown command\r\n');
      },
    };
  });
}
