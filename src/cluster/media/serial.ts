import { execFile } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { WebfarmError } from '../../model/errors.ts';
import {
  type Medium,
  MediumCore,
  type MediumStatus,
  type ReceiveListener,
  type StatusListener,
} from './medium.ts';
import { SerialDeframer } from './serial-framing.ts';

/** Speeds heartbeat accepts for `baud` (seed-system.md §2.3). */
export const SERIAL_BAUDS: readonly number[] = [9600, 19200, 38400, 57600, 115200, 230400, 460800];

/**
 * Our default speed. Heartbeat's is 19200, but a ~300-byte classic status message every 100 ms (our default
 * keepalive) needs about 30,000 bit/s (10 bits a byte on the line); 115200 leaves room for retransmissions.
 */
export const DEFAULT_BAUD = 115200;

export interface SerialOptions {
  /** Any tty: `/dev/ttyS0`, a USB adapter, a pty. */
  readonly device: string;
  readonly baud?: number;
  readonly name?: string;
  /** Sends are dropped (status down) while more than this many bytes wait to be written; default 4096. */
  readonly maxQueueBytes?: number;
  /** Runs stty with the given argv; injectable for tests. Default: the `stty` program. */
  readonly stty?: (argv: readonly string[]) => Promise<void>;
}

/** The stty argv that puts a line in raw mode at `baud`: `stty -F DEV raw -echo BAUD`. */
export function sttyArgs(device: string, baud: number): string[] {
  return ['-F', device, 'raw', '-echo', String(baud)];
}

/**
 * A serial line (heartbeat `serial /dev/ttyS0`): raw mode and speed set with stty, the device opened twice
 * (O_NOCTTY | O_NONBLOCK), read through tty.ReadStream (fs streams fail with EAGAIN on a non-blocking tty)
 * and written through tty.WriteStream. Frames per serial-framing.ts; each send is written as `\n` + bytes.
 * Not done: heartbeat's serial ring forwarding (ttl) to other ports, and the BREAK sent at open.
 */
export async function openSerial(o: SerialOptions): Promise<Medium> {
  const baud = o.baud ?? DEFAULT_BAUD;
  const name = o.name ?? `serial ${o.device}`;
  if (!SERIAL_BAUDS.includes(baud)) {
    throw new WebfarmError(
      'WF_ERR_CLUSTER_MEDIUM',
      `${name}: baud ${baud} is not one of ${SERIAL_BAUDS.join(', ')}`,
    );
  }
  try {
    await (o.stty ?? runStty)(sttyArgs(o.device, baud));
  } catch (cause) {
    const what = cause instanceof Error ? cause.message : String(cause);
    throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', `${name}: cannot set raw mode and speed (${what})`, {
      cause,
    });
  }
  const flags = constants.O_NOCTTY | constants.O_NONBLOCK;
  const rfd = openTty(name, o.device, constants.O_RDONLY | flags);
  let wfd: number;
  try {
    wfd = openTty(name, o.device, constants.O_WRONLY | flags);
  } catch (e) {
    closeSync(rfd);
    throw e;
  }
  return new SerialMedium(name, o.device, rfd, wfd, o.maxQueueBytes ?? 4096);
}

class SerialMedium implements Medium {
  readonly name: string;
  readonly formats = 'classic' as const;
  readonly #core = new MediumCore();
  readonly #in: ReadStream;
  readonly #out: WriteStream;
  readonly #maxQueue: number;

  constructor(name: string, device: string, rfd: number, wfd: number, maxQueue: number) {
    this.name = name;
    this.#maxQueue = maxQueue;
    this.#in = adopt(new ReadStream(rfd), rfd);
    this.#out = adopt(new WriteStream(wfd), wfd);
    const deframer = new SerialDeframer();
    this.#in.on('data', (chunk: Buffer) => {
      for (const frame of deframer.push(chunk)) this.#core.deliver(frame, device);
    });
    const down = (e: NodeJS.ErrnoException) => this.#core.set('down', `tty error: ${e.code ?? e.message}`);
    this.#in.on('error', down);
    this.#out.on('error', down);
    this.#out.on('drain', () => this.#core.set('up', 'write queue drained'));
  }

  get status(): MediumStatus {
    return this.#core.status;
  }

  send(bytes: Uint8Array): void {
    if (this.#core.status === 'closed' || this.#out.destroyed) return;
    if (this.#out.writableLength > this.#maxQueue) {
      this.#core.set('down', 'write queue full: is anything reading the other end of the line?');
      return;
    }
    const frame = Buffer.allocUnsafe(bytes.length + 1);
    frame[0] = 0x0a;
    frame.set(bytes, 1);
    this.#out.write(frame);
  }

  onReceive(listener: ReceiveListener): () => void {
    return this.#core.onReceive(listener);
  }

  onStatus(listener: StatusListener): () => void {
    return this.#core.onStatus(listener);
  }

  async close(): Promise<void> {
    if (this.#core.status === 'closed') return;
    this.#core.set('closed', 'closed');
    await Promise.all([destroyed(this.#in), destroyed(this.#out)]);
  }
}

/**
 * libuv reopens a tty it is given (so it can make it non-blocking without touching other processes) and
 * then owns only its own descriptor: ours is closed here. When it kept ours, closing the stream closes it.
 */
function adopt<S extends ReadStream | WriteStream>(stream: S, fd: number): S {
  const handleFd = (stream as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (handleFd !== undefined && handleFd >= 0 && handleFd !== fd) closeSync(fd);
  return stream;
}

function destroyed(s: ReadStream | WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (s.closed) return resolve();
    s.once('close', () => resolve());
    s.destroy();
  });
}

function openTty(name: string, device: string, flags: number): number {
  try {
    return openSync(device, flags);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', `${name}: cannot open ${device} (${code})`, { cause });
  }
}

function runStty(argv: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('stty', [...argv], { timeout: 5000 }, (err, _out, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve();
    });
  });
}
