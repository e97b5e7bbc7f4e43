import { type Server, type Socket, createServer } from 'node:net';
import type { VirtualService } from '../../director/virtual-service.ts';
import type { ProxyContext } from './context.ts';
import type { Listener } from './listener.ts';
import { TcpSession } from './tcp-session.ts';

/**
 * The listening socket of a TCP virtual service. Every accepted client becomes a TcpSession. Closing the
 * listener stops new clients only: sessions already accepted run to their own end (or engine stop).
 */
export class TcpListener implements Listener {
  readonly #server: Server;
  readonly #svc: VirtualService;
  readonly #onError: (e: Error) => void;

  /** `onError`: errors after the socket is bound (accept failures such as EMFILE); the engine reports them. */
  constructor(ctx: ProxyContext, svc: VirtualService, onError: (e: Error) => void) {
    this.#svc = svc;
    this.#onError = onError;
    this.#server = createServer({ allowHalfOpen: true, noDelay: true }, (client: Socket) => {
      new TcpSession(ctx, svc, client);
    });
  }

  listen(): Promise<void> {
    const server = this.#server;
    return new Promise((resolve, reject) => {
      const fail = (e: Error) => {
        server.off('listening', ok);
        reject(e);
      };
      const ok = () => {
        server.off('error', fail);
        server.on('error', this.#onError);
        resolve();
      };
      server.once('error', fail);
      server.once('listening', ok);
      server.listen({ host: this.#svc.spec.address, port: this.#svc.spec.port, exclusive: true });
    });
  }

  close(): Promise<void> {
    // server.close() closes the listening descriptor at once; its callback would wait for every accepted
    // connection, which outlive the listener by design, so it is not awaited.
    if (this.#server.listening) this.#server.close(() => {});
    return Promise.resolve();
  }
}
