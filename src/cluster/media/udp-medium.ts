import { createSocket, type Socket } from 'node:dgram';
import { WebfarmError } from '../../model/errors.ts';
import {
  type Medium,
  MediumCore,
  type MediumStatus,
  type ReceiveListener,
  type StatusListener,
} from './medium.ts';

/** Where a UDP medium sends each packet. */
export interface UdpTarget {
  readonly address: string;
  readonly port: number;
}

export interface UdpMediumOptions {
  readonly name: string;
  readonly bindAddress: string;
  /** 0 picks a free port (tests); heartbeat's udpport is 694. */
  readonly port: number;
  readonly targets: readonly UdpTarget[];
  /** Socket options once bound (broadcast, multicast membership…). May throw: the open then fails. */
  readonly setup?: (socket: Socket) => void;
}

/**
 * The UDP carrier behind the ucast, bcast and mcast media: one IPv4 socket bound with SO_REUSEADDR (so
 * several media can share heartbeat's single udpport), every packet sent to every target, every datagram
 * received handed on with `address:port` as its sender.
 */
export class UdpMedium implements Medium {
  readonly name: string;
  readonly formats = 'any' as const;
  readonly #socket: Socket;
  readonly #targets: readonly UdpTarget[];
  readonly #core = new MediumCore();

  private constructor(name: string, socket: Socket, targets: readonly UdpTarget[]) {
    this.name = name;
    this.#socket = socket;
    this.#targets = targets;
    socket.on('message', (msg, rinfo) => this.#core.deliver(msg, `${rinfo.address}:${rinfo.port}`));
    socket.on('error', (e: NodeJS.ErrnoException) =>
      this.#core.set('down', `socket error: ${e.code ?? e.message}`),
    );
  }

  static async open(o: UdpMediumOptions): Promise<UdpMedium> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    try {
      await bind(socket, o.bindAddress, o.port);
      o.setup?.(socket);
    } catch (cause) {
      socket.close();
      const what = cause instanceof Error ? cause.message : String(cause);
      throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', `${o.name}: cannot open (${what})`, { cause });
    }
    return new UdpMedium(o.name, socket, o.targets);
  }

  get status(): MediumStatus {
    return this.#core.status;
  }

  /** The bound local port (useful when opened on port 0). */
  get port(): number {
    return this.#socket.address().port;
  }

  send(bytes: Uint8Array): void {
    if (this.#core.status === 'closed') return;
    for (const t of this.#targets) {
      this.#socket.send(bytes, t.port, t.address, (e) => {
        if (e)
          this.#core.set(
            'down',
            `send to ${t.address}:${t.port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`,
          );
        else this.#core.set('up', 'sending again');
      });
    }
  }

  onReceive(listener: ReceiveListener): () => void {
    return this.#core.onReceive(listener);
  }

  onStatus(listener: StatusListener): () => void {
    return this.#core.onStatus(listener);
  }

  close(): Promise<void> {
    if (this.#core.status === 'closed') return Promise.resolve();
    this.#core.set('closed', 'closed');
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

function bind(socket: Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: false }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
