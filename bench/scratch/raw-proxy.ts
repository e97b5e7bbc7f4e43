// EXPERIMENT ONLY — not a design to copy. A TCP proxy on Node's internal libuv handle bindings
// (process.binding('tcp_wrap'/'stream_wrap'), deprecated, undocumented), with no net.Socket and no streams,
// to measure how much of the per-connection and per-chunk cost is the net/stream layer rather than the
// event loop and the kernel. argv: FORWARD... (tcp:LISTEN=BACKEND on 127.0.0.1). Prints "ready".
import { parseForward } from '../topology.ts';

// biome-ignore lint/suspicious/noExplicitAny: internal bindings have no types
type Any = any;
const binding = (process as Any).binding as (name: string) => Any;
const { TCP, TCPConnectWrap, constants } = binding('tcp_wrap');
const {
  WriteWrap,
  ShutdownWrap,
  kReadBytesOrError,
  kArrayBufferOffset,
  kLastWriteWasAsync,
  streamBaseState,
} = binding('stream_wrap');
const UV_EOF = -4095;

/** One direction: reads of `src` written to `dst`; FIN passed on; reads paused while a write is queued. */
interface Side {
  handle: Any;
  /** Our write side towards this handle is shut (FIN sent) or closed. */
  writeDone: boolean;
  /** EOF read from this handle. */
  readDone: boolean;
}

function pair(client: Any, backend: number): void {
  const c: Side = { handle: client, writeDone: false, readDone: false };
  const up = new TCP(constants.SOCKET);
  const u: Side = { handle: up, writeDone: false, readDone: false };
  let closed = false;
  const closeBoth = () => {
    if (closed) return;
    closed = true;
    c.handle.close();
    u.handle.close();
  };
  const relay = (src: Side, dst: Side) => {
    src.handle.onread = (arrayBuffer: ArrayBuffer) => {
      const n = streamBaseState[kReadBytesOrError];
      if (n > 0) {
        const buf = Buffer.from(arrayBuffer, streamBaseState[kArrayBufferOffset], n);
        const req = new WriteWrap();
        req.handle = dst.handle;
        req.buffer = buf;
        req.oncomplete = (status: number) => {
          if (status < 0) closeBoth();
          else if (!closed) src.handle.readStart();
        };
        const err = dst.handle.writeBuffer(req, buf);
        if (err < 0) closeBoth();
        else if (streamBaseState[kLastWriteWasAsync]) src.handle.readStop();
        return;
      }
      if (n === 0) return;
      if (n !== UV_EOF) return closeBoth();
      src.readDone = true;
      // Second FIN: both directions are done, close() sends our FIN and frees both at once.
      if (dst.readDone) return closeBoth();
      const req = new ShutdownWrap();
      req.handle = dst.handle;
      req.oncomplete = () => {};
      dst.writeDone = true;
      dst.handle.shutdown(req);
    };
  };
  client.setNoDelay(true);
  up.setNoDelay(true);
  const req = new TCPConnectWrap();
  req.oncomplete = (status: number) => {
    if (status < 0) return closeBoth();
    relay(c, u);
    relay(u, c);
    c.handle.readStart();
    u.handle.readStart();
  };
  req.address = '127.0.0.1';
  req.port = backend;
  if (up.connect(req, '127.0.0.1', backend) < 0) closeBoth();
}

for (const f of process.argv.slice(2).map(parseForward)) {
  const server = new TCP(constants.SERVER);
  if (server.bind('127.0.0.1', f.listen) < 0 || server.listen(4096) < 0)
    throw new Error(`cannot listen on ${f.listen}`);
  server.onconnection = (err: number, client: Any) => {
    if (err === 0 && client) pair(client, f.backend);
  };
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
