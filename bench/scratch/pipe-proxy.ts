// Minimal Node TCP proxies used as reference points and to try data-path ideas before they go into the
// engine. argv: VARIANT FORWARD... (bench/topology.ts parseForward: tcp:HOST:PORT=HOST:PORT, or
// tcp:LISTEN=BACKEND on 127.0.0.1). Prints "ready".
//   pipe   — the reference/ecosystem.md §8 baseline: c.pipe(u); u.pipe(c)
//   data   — 'data' handlers writing straight to the peer; pause/resume only on backpressure
//   onread — as data, but the upstream socket reads into one reused buffer per connection (net onread),
//            reads paused while a write of that buffer is still queued
import { type Socket, connect, createServer } from 'node:net';
import { parseForward } from '../topology.ts';

type Variant = 'pipe' | 'data' | 'onread';
const variant = process.argv[2] as Variant;
const forwards = process.argv.slice(3).map(parseForward);
if (!['pipe', 'data', 'onread'].includes(variant)) throw new Error(`unknown variant ${variant}`);

function relayData(from: Socket, to: Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => to.end());
}

/** Relay reads of `from` (created with onread) into `to`; returns the onread callback. */
function onreadRelay(getFrom: () => Socket, to: Socket): (n: number, buf: Buffer) => boolean {
  let paused = false;
  const flushed = () => {
    if (paused) {
      paused = false;
      getFrom().resume();
    }
  };
  return (n, buf) => {
    to.write(buf.subarray(0, n), flushed);
    if (to.writableLength === 0) return true;
    paused = true;
    return false;
  };
}

/** Counters printed on SIGTERM: connections and error events by code. */
const counts = new Map<string, number>();
const count = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);

function handle(c: Socket, host: string, backend: number): void {
  count('connections');
  let u: Socket;
  const onError = (e: NodeJS.ErrnoException) => {
    count(`error ${e.code}`);
    close();
  };
  const close = () => {
    c.destroy();
    u.destroy();
  };
  if (variant === 'onread') {
    const buffer = Buffer.allocUnsafe(65536);
    u = connect({
      port: backend,
      host,
      noDelay: true,
      onread: { buffer, callback: onreadRelay(() => u, c) },
    });
    u.on('end', () => c.end());
    relayData(c, u);
  } else {
    u = connect({ port: backend, host, noDelay: true });
    if (variant === 'pipe') {
      c.pipe(u);
      u.pipe(c);
    } else {
      relayData(c, u);
      relayData(u, c);
    }
  }
  c.on('error', onError);
  u.on('error', onError);
  c.on('close', close);
  u.on('close', close);
}

for (const f of forwards) {
  if (f.protocol !== 'tcp') continue;
  createServer({ noDelay: true }, (c) => handle(c, f.backendHost, f.backend)).listen({
    port: f.listen,
    host: f.listenHost,
    backlog: 4096,
  });
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify(Object.fromEntries(counts))}\n`);
  process.exit(0);
});
