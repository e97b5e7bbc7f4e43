/**
 * A heartbeat medium (seed-system.md §2.4; docs/cluster.md "Media"): something that carries whole packets
 * between cluster nodes. Media are dumb carriers: they neither decode nor authenticate (the receive filter
 * does), they never throw from `send`, and garbage on the wire only ever becomes bytes handed to receivers.
 */

/** `up`: open and the last send (if any) went out; `down`: open but failing; `closed`: after `close`. */
export type MediumStatus = 'up' | 'down' | 'closed';

export type ReceiveListener = (bytes: Uint8Array, from: string) => void;
export type StatusListener = (status: MediumStatus, detail: string) => void;

export interface Medium {
  /** Stable name, also the link name in membership events, e.g. `bcast eth0`, `serial /dev/ttyS0`. */
  readonly name: string;
  /** Wire formats it can carry: serial lines carry only the classic text form, as heartbeat's do. */
  readonly formats: 'any' | 'classic';
  readonly status: MediumStatus;
  /** Best effort; failures show in `status` and the status listeners, never as exceptions. */
  send(bytes: Uint8Array): void;
  /** Every packet received; `from` names the sender (address:port, or the device). Returns an unsubscribe. */
  onReceive(listener: ReceiveListener): () => void;
  onStatus(listener: StatusListener): () => void;
  /** Release the socket or tty; idempotent. Afterwards `send` does nothing and no packet is delivered. */
  close(): Promise<void>;
}

/** Listener bookkeeping and status transitions shared by the media. */
export class MediumCore {
  readonly #receive = new Set<ReceiveListener>();
  readonly #status = new Set<StatusListener>();
  #state: MediumStatus = 'up';

  get status(): MediumStatus {
    return this.#state;
  }

  onReceive(listener: ReceiveListener): () => void {
    this.#receive.add(listener);
    return () => this.#receive.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.#status.add(listener);
    return () => this.#status.delete(listener);
  }

  deliver(bytes: Uint8Array, from: string): void {
    if (this.#state === 'closed') return;
    for (const l of this.#receive) l(bytes, from);
  }

  /** Move to `status` (no-op when unchanged or already closed) and tell the listeners why. */
  set(status: MediumStatus, detail: string): void {
    if (this.#state === status || this.#state === 'closed') return;
    this.#state = status;
    for (const l of this.#status) l(status, detail);
  }
}
