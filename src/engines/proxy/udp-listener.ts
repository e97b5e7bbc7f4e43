import type { RemoteInfo, Socket } from 'node:dgram';
import { literalUdpSocket } from './udp-socket.ts';
import type { VirtualService } from '../../director/virtual-service.ts';
import { addressFamily } from '../../model/endpoint.ts';
import type { Flow } from '../../scheduler/scheduler.ts';
import type { ProxyContext } from './context.ts';
import type { Listener } from './listener.ts';
import { unmap } from './proxy-protocol.ts';
import { type FlowOwner, UdpFlow } from './udp-flow.ts';

/**
 * The socket of a UDP virtual service. Datagrams from one client address:port form a flow (UdpFlow) bound
 * to one real server until it is idle for the UDP timeout. With one-packet scheduling (svc.spec.onePacket)
 * every datagram is scheduled on its own and gets a flow of its own that ends at the first reply (or the
 * timeout); the flow table is not consulted. No usable real server → the datagram is dropped and
 * svc.refused++. Replies always leave through this socket, so clients see the virtual address.
 */
export class UdpListener implements Listener, FlowOwner {
  readonly #ctx: ProxyContext;
  readonly #svc: VirtualService;
  readonly #onError: (e: Error) => void;
  readonly #socket: Socket;
  readonly #flows = new Map<string, UdpFlow>();
  #open = false;

  constructor(ctx: ProxyContext, svc: VirtualService, onError: (e: Error) => void) {
    this.#ctx = ctx;
    this.#svc = svc;
    this.#onError = onError;
    this.#socket = literalUdpSocket(addressFamily(svc.spec.address));
    this.#socket.on('message', this.#onMessage);
  }

  listen(): Promise<void> {
    const sock = this.#socket;
    return new Promise((resolve, reject) => {
      const fail = (e: Error) => {
        sock.off('listening', ok);
        sock.close();
        reject(e);
      };
      const ok = () => {
        sock.off('error', fail);
        sock.on('error', this.#onError);
        this.#open = true;
        resolve();
      };
      sock.once('error', fail);
      sock.once('listening', ok);
      sock.bind({ address: this.#svc.spec.address, port: this.#svc.spec.port, exclusive: true });
    });
  }

  close(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    this.#open = false;
    for (const f of [...this.#flows.values()]) f.close();
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  reply(msg: Buffer, address: string, port: number): void {
    if (this.#open) this.#socket.send(msg, port, address);
  }

  forget(flow: UdpFlow): void {
    if (this.#flows.get(flow.key) === flow) this.#flows.delete(flow.key);
  }

  #onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    if (this.#svc.spec.onePacket) {
      this.#newFlow(rinfo, '', true)?.send(msg);
      return;
    }
    const key = `${rinfo.address}|${rinfo.port}`;
    let f = this.#flows.get(key);
    if (!f) {
      f = this.#newFlow(rinfo, key, false);
      if (!f) return;
      this.#flows.set(key, f);
    }
    f.send(msg);
  };

  #newFlow(rinfo: RemoteInfo, key: string, onePacket: boolean): UdpFlow | undefined {
    const flow: Flow = {
      protocol: 'udp',
      clientAddress: unmap(rinfo.address),
      clientPort: rinfo.port,
      virtualAddress: this.#svc.spec.address,
      virtualPort: this.#svc.spec.port,
      nowMs: this.#ctx.clock.now(),
    };
    const s = this.#svc.schedule(flow);
    if (!s.ok) {
      this.#svc.refused++;
      return undefined;
    }
    const conn = this.#svc.open(s, flow);
    return new UdpFlow(this.#ctx, this, conn, { address: rinfo.address, port: rinfo.port, key, onePacket });
  }
}
