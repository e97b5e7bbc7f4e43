import { once } from 'node:events';
import { type Server, type Socket, createServer } from 'node:net';
import { LOOPBACK } from './net.ts';

/** A real server for tests: loopback, port 0, remembers its sockets so close() can end them all. */
export interface TestServer {
  readonly port: number;
  readonly server: Server;
  /** Sockets accepted and not yet closed. */
  readonly sockets: Set<Socket>;
  /** Total connections accepted. */
  accepted: number;
  close(): Promise<void>;
}

export async function startServer(onConnection: (s: Socket) => void, host = LOOPBACK): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true });
  const ts: TestServer = {
    port: 0,
    server,
    sockets,
    accepted: 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  server.on('connection', (s) => {
    ts.accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onConnection(s);
  });
  server.listen(0, host);
  await once(server, 'listening');
  return Object.assign(ts, { port: (server.address() as { port: number }).port });
}

/** Echoes every byte; ends its side when the client ends. */
export function echoServer(host = LOOPBACK): Promise<TestServer> {
  return startServer((s) => s.pipe(s), host);
}

/** Answers every connection with its name and closes: which real server got the connection. */
export function nameServer(name: string, host = LOOPBACK): Promise<TestServer> {
  return startServer((s) => {
    s.resume();
    s.end(name);
  }, host);
}

/** Records what each connection sent (until the client ends), then closes. */
export function recordingServer(received: Buffer[], host = LOOPBACK): Promise<TestServer> {
  return startServer((s) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      received.push(Buffer.concat(chunks));
      s.end();
    });
  }, host);
}

/** Names of several nameServers, e.g. ['a', 'b', 'c']. */
export async function nameServers(names: readonly string[]): Promise<TestServer[]> {
  return Promise.all(names.map((n) => nameServer(n)));
}

/** Says its name on connect, then echoes; ends its side when the client ends (a long-lived connection). */
export function holdServer(name: string, host = LOOPBACK): Promise<TestServer> {
  return startServer((s) => {
    s.write(name);
    s.on('data', (c: Buffer) => s.write(c));
    s.on('end', () => s.end());
  }, host);
}
