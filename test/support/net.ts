import { once } from 'node:events';
import { createServer, type Socket, connect } from 'node:net';

/**
 * Socket helpers for integration tests. Everything is on loopback; waits are bounded and fail with a
 * message naming what was awaited (no sleeps as synchronisation).
 */
export const LOOPBACK = '127.0.0.1';

/** Reject with "timed out waiting for <what>" unless `p` settles within `ms`. */
export async function within<T>(p: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wait until `cond()` holds, re-checking on each timer turn; bounded by `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A port nobody listens on right now (bind port 0, read it, release it). Services in the director need a
 * concrete port (port 0 means "all ports" there), so tests reserve one this way.
 */
export async function freePort(host = LOOPBACK): Promise<number> {
  const s = createServer();
  s.listen(0, host);
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A connected client socket; it ends its side when the peer does (no half-open). */
export async function connectTcp(port: number, host = LOOPBACK): Promise<Socket> {
  const s = connect({ port, host });
  await within(once(s, 'connect'), `connect to ${host}:${port}`);
  return s;
}

export interface Exchange {
  readonly data: Buffer;
  /** Error code if the connection ended with an error (ECONNRESET for a reset). */
  readonly error: string | undefined;
}

/** Collect everything `s` receives until it closes. */
export function collect(s: Socket): Promise<Exchange> {
  const chunks: Buffer[] = [];
  let error: string | undefined;
  s.on('data', (c: Buffer) => chunks.push(c));
  s.on('error', (e: NodeJS.ErrnoException) => {
    error = e.code ?? e.message;
  });
  return new Promise((resolve) => {
    s.on('close', () => resolve({ data: Buffer.concat(chunks), error }));
  });
}

/** Connect, send `payload`, half-close, and return what came back before the connection closed. */
export async function request(
  port: number,
  payload: string | Buffer = '',
  host = LOOPBACK,
): Promise<Exchange> {
  const s = connect({ port, host, allowHalfOpen: true });
  const result = collect(s);
  s.end(payload);
  return within(result, `reply from ${host}:${port}`);
}

/** Resolves when `s` has closed (at once if it already has). */
export function closed(s: Socket): Promise<void> {
  if (s.closed) return Promise.resolve();
  return once(s, 'close').then(() => undefined);
}

/** A long-lived client connection: `hello` is the first chunk the server sent. */
export interface Held {
  readonly socket: Socket;
  readonly hello: string;
  /** Write `text` and wait until the same bytes come back (an echoing server). */
  roundTrip(text: string): Promise<string>;
  /** End our side and wait for the close. */
  end(): Promise<void>;
}

export async function hold(port: number, opts: { host?: string; localAddress?: string } = {}): Promise<Held> {
  const socket = connect({
    port,
    host: opts.host ?? LOOPBACK,
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  socket.on('error', () => {});
  const [first] = (await within(once(socket, 'data'), `greeting on ${port}`)) as [Buffer];
  return {
    socket,
    hello: first.toString(),
    async roundTrip(text) {
      const want = Buffer.byteLength(text);
      const got: Buffer[] = [];
      let n = 0;
      const done = new Promise<void>((resolve) => {
        const onData = (c: Buffer) => {
          got.push(c);
          n += c.length;
          if (n >= want) {
            socket.off('data', onData);
            resolve();
          }
        };
        socket.on('data', onData);
      });
      socket.write(text);
      await within(done, 'echo');
      return Buffer.concat(got).toString();
    },
    async end() {
      socket.end();
      await within(closed(socket), 'close after end');
    },
  };
}

/** Like `request`, from a chosen local address (127.0.0.0/8 has many). */
export async function requestFrom(localAddress: string, port: number, payload = ''): Promise<Exchange> {
  const s = connect({ port, host: LOOPBACK, localAddress, allowHalfOpen: true });
  const result = collect(s);
  s.end(payload);
  return within(result, `reply to ${localAddress}`);
}
