import type { Socket } from 'node:net';

/** What a pump reports to the session that owns it. `inbound`: the client → real server direction. */
export interface PumpOwner {
  /** One chunk of `bytes` was relayed (accounting, idle ticks). */
  pumped(inbound: boolean, bytes: number): void;
  /** The source sent FIN; it is being passed on. Called before the destination is ended or closed. */
  pumpEnded(inbound: boolean): void;
}

const READER = Symbol('webfarm.pump.reader');
const WRITER = Symbol('webfarm.pump.writer');
type Piped = Socket & { [READER]?: Pump; [WRITER]?: Pump };

/**
 * One direction of a spliced TCP connection: reads `src`, writes `dst`. Backpressure: when `dst.write`
 * returns false the reader is paused until `dst` drains, so at most about one socket high-water mark
 * (plus one chunk) sits in the proxy per direction. Half-close: the FIN from `src` becomes `dst.end()`;
 * when the reverse direction has already ended and nothing is queued, `dst` is closed instead (close()
 * sends the FIN: one shutdown() less, same segments on the wire).
 *
 * Per-connection cost: the listeners are module functions shared by every pump (the pump is found through
 * a symbol on the socket), so a connection allocates no closures here (docs/BENCHMARKS.md "What we tried").
 */
export class Pump {
  /** `src` has sent FIN and it was forwarded. */
  ended = false;
  /** The opposite direction's pump, when there is one. */
  reverse: Pump | undefined;

  constructor(
    readonly src: Socket,
    readonly dst: Socket,
    private readonly owner: PumpOwner,
    private readonly inbound: boolean,
  ) {}

  start(): void {
    (this.src as Piped)[READER] = this;
    (this.dst as Piped)[WRITER] = this;
    this.src.on('data', onData);
    this.src.on('end', onEnd);
    this.dst.on('drain', onDrain);
    this.src.resume();
  }

  data(chunk: Buffer): void {
    this.owner.pumped(this.inbound, chunk.length);
    if (!this.dst.write(chunk)) this.src.pause();
  }

  end(): void {
    this.ended = true;
    this.owner.pumpEnded(this.inbound);
    const dst = this.dst;
    if (this.reverse?.ended && dst.writableLength === 0) dst.destroy();
    else dst.end();
  }
}

function onData(this: Piped, chunk: Buffer): void {
  this[READER]?.data(chunk);
}

function onEnd(this: Piped): void {
  this[READER]?.end();
}

function onDrain(this: Piped): void {
  this[WRITER]?.src.resume();
}
