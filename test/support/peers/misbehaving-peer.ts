import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { LOOPBACK } from '../net.ts';

/**
 * Peers that misbehave on purpose, for the hang and close-early cases every dialogue probe is tested with.
 * Each listens on 127.0.0.1 port 0 and counts the connections it accepted.
 */
export interface MisbehavingPeer {
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections still open on the peer's side. */
  open(): number;
  close(): Promise<void>;
}

async function listen(onConnection: (s: Socket) => void): Promise<MisbehavingPeer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onConnection(s);
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    open: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Accepts, reads everything, never answers. */
export function hangingPeer(): Promise<MisbehavingPeer> {
  return listen((s) => s.resume());
}

/** Accepts, writes `first` (possibly nothing), then closes: a server that dies mid-dialogue. */
export function closingPeer(first = ''): Promise<MisbehavingPeer> {
  return listen((s) => s.end(first));
}

/** Answers each line it receives from `script` in order (the greeting at index 0 is sent on accept), then hangs. */
export function scriptedPeer(script: readonly string[]): Promise<MisbehavingPeer> {
  return listen((s) => {
    let next = 0;
    const say = () => {
      const out = script[next++];
      if (out !== undefined) s.write(out);
    };
    say();
    let pending = '';
    s.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        pending = pending.slice(nl + 1);
        say();
        nl = pending.indexOf('\n');
      }
    });
  });
}

/** On the first bytes received, answers `reply` (binary protocols), optionally closes, otherwise hangs. */
export function replyOncePeer(reply: Buffer, thenClose = false): Promise<MisbehavingPeer> {
  return listen((s) => {
    s.once('data', () => (thenClose ? s.end(reply) : s.write(reply)));
  });
}
