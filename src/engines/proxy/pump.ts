import type { Socket } from 'node:net';

/**
 * One direction of a spliced TCP connection: reads `src`, writes `dst`. Backpressure: when `dst.write`
 * returns false the reader is paused until `dst` drains, so at most about one socket high-water mark
 * (plus one chunk) sits in the proxy per direction. Half-close: the FIN from `src` becomes `dst.end()`.
 * The handlers are created once per pump, so the data path allocates nothing of its own per chunk.
 */
export class Pump {
  /** `src` has sent FIN and it was forwarded. */
  ended = false;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    /** Called once per chunk with its length (accounting, idle ticks). */
    private readonly count: (bytes: number) => void,
    /** Called once when `src` has ended and `dst.end()` was called. */
    private readonly onEnd: () => void,
  ) {}

  start(): void {
    this.src.on('data', this.#onData);
    this.src.on('end', this.#onEnd);
    this.dst.on('drain', this.#onDrain);
    this.src.resume();
  }

  #onData = (chunk: Buffer): void => {
    this.count(chunk.length);
    if (!this.dst.write(chunk)) this.src.pause();
  };

  #onDrain = (): void => {
    this.src.resume();
  };

  #onEnd = (): void => {
    this.ended = true;
    this.dst.end();
    this.onEnd();
  };
}
