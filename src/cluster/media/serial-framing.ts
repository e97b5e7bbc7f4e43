/**
 * Framing of messages on a serial byte stream, as heartbeat's serial medium does it (serial.c
 * `serial_read`/`ttygets`): a serial line carries the classic text form only (heartbeat converts netstring
 * messages to it before writing); lines end at `\n` or `\r`; lines are skipped until one starting with `>>>`,
 * then collected until one starting with `<<<`. Each frame comes out normalised as `>>>\n…\n<<<\n`, which
 * is what the classic codec reads.
 *
 * Deviations, for robustness on a noisy line: a new `>>>` line inside a frame starts the frame over, and a
 * frame or a line longer than `maxFrameBytes` is dropped and the reader skips to the next `>>>`. Senders
 * write a `\n` before each frame so that a frame following line noise still starts on a line of its own.
 *
 * Pure apart from its own buffer: bytes in, frames out.
 */

const START = '>>>';
const END = '<<<';

export class SerialDeframer {
  readonly #max: number;
  #line = '';
  #frame: string[] | undefined;
  #frameBytes = 0;
  /** Frames dropped because they or one of their lines were too long. */
  dropped = 0;

  constructor(maxFrameBytes = 4096) {
    this.#max = maxFrameBytes;
  }

  /** Feed bytes; returns every frame completed by them, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line += text.slice(from, i);
      from = i + 1;
      this.#endLine(out);
    }
    this.#line += text.slice(from);
    if (this.#line.length > this.#max) this.#overflow();
    return out;
  }

  #endLine(out: Uint8Array[]): void {
    const line = this.#line;
    this.#line = '';
    if (line.startsWith(START)) {
      if (this.#frame !== undefined) this.dropped++;
      this.#frame = [];
      this.#frameBytes = START.length + 1;
      return;
    }
    if (this.#frame === undefined || line.length === 0) return;
    if (line.startsWith(END)) {
      const body = this.#frame.map((l) => `${l}\n`).join('');
      out.push(new Uint8Array(Buffer.from(`${START}\n${body}${END}\n`, 'latin1')));
      this.#frame = undefined;
      return;
    }
    this.#frameBytes += line.length + 1;
    if (this.#frameBytes + END.length + 1 > this.#max) this.#overflow();
    else this.#frame.push(line);
  }

  #overflow(): void {
    this.dropped++;
    this.#frame = undefined;
    this.#line = '';
  }
}
