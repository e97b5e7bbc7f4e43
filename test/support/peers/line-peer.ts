import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { LOOPBACK } from '../net.ts';

/**
 * The skeleton of the minimal text-protocol peers (SMTP, POP3, IMAP, FTP control): accept on 127.0.0.1
 * port 0, hand each CRLF line to a session, and record every line received so tests can check the whole
 * dialogue (e.g. that the probe said QUIT).
 */
export interface LineConnection {
  send(text: string): void;
  /** Send `text` (if any) and close our side. */
  end(text?: string): void;
  readonly socket: Socket;
}

export interface LineSession {
  /** Called once on accept (the greeting). */
  start(c: LineConnection): void;
  /** Each line received, without CR LF. */
  line(c: LineConnection, line: string): void;
}

export interface LinePeer {
  readonly port: number;
  /** Every line received, over all connections, in order. */
  readonly received: string[];
  /** Connections still open on the peer's side. */
  open(): number;
  close(): Promise<void>;
}

export async function startLinePeer(newSession: () => LineSession): Promise<LinePeer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const c: LineConnection = {
      socket,
      send: (text) => {
        if (!socket.destroyed) socket.write(text);
      },
      end: (text) => socket.end(text ?? ''),
    };
    const session = newSession();
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        received.push(line);
        session.line(c, line);
      }
    });
    session.start(c);
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    received,
    open: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
