import type { Message } from '../message.ts';

/**
 * The last `capacity` sequenced messages we sent, by seq, so a peer's NS_rexmit can be answered (heartbeat
 * keeps a transmit history for this, §2.1). Oldest entries fall out first.
 */
export class SendHistory {
  readonly #capacity: number;
  readonly #bySeq = new Map<number, Message>();

  constructor(capacity = 200) {
    this.#capacity = capacity;
  }

  add(seq: number, m: Message): void {
    this.#bySeq.set(seq, m);
    if (this.#bySeq.size > this.#capacity) {
      const oldest = this.#bySeq.keys().next().value;
      if (oldest !== undefined) this.#bySeq.delete(oldest);
    }
  }

  get(seq: number): Message | undefined {
    return this.#bySeq.get(seq);
  }
}

/** At most this many seqs answered per NS_rexmit request (a bound on what one packet can make us send). */
export const MAX_REXMIT_PER_REQUEST = 16;
