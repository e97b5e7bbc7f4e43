import type { Socket } from 'node:dgram';
import { literalUdpSocket } from './udp-socket.ts';
import type { Connection } from '../../director/connection.ts';
import { addressFamily } from '../../model/endpoint.ts';
import type { ProxyContext, Tracked } from './context.ts';
import { Idle } from './idle.ts';

/** The service side of a flow: sends replies to the client from the virtual address. */
export interface FlowOwner {
  reply(msg: Buffer, address: string, port: number): void;
  forget(flow: UdpFlow): void;
}

export interface FlowClient {
  readonly address: string;
  readonly port: number;
  /** Key in the owner's flow table ('' for one-packet flows, which are not in it). */
  readonly key: string;
  /** Close after the first reply datagram (one-packet scheduling). */
  readonly onePacket: boolean;
}

const FLOW = Symbol('webfarm.udp-flow');
type Tagged = Socket & { [FLOW]?: UdpFlow };

/** Datagrams held while the flow's socket is still connecting (a few microseconds); more are dropped. */
const MAX_QUEUED = 64;

/**
 * One UDP flow: a client address:port bound to a real server through a connected datagram socket of its
 * own, so the kernel filters replies to that server. Each datagram is one packet in the counters. The
 * Connection is never established (UDP entries stay inactive, as in LVS) and closes when the flow has
 * been idle for the director's UDP timeout.
 *
 * Per-flow cost (one flow per datagram with one-packet scheduling): the socket's listeners are module
 * functions shared by every flow, found through a symbol on the socket, not arrow-function fields
 * (docs/architecture.md).
 */
export class UdpFlow implements Tracked {
  readonly key: string;
  readonly #ctx: ProxyContext;
  readonly #owner: FlowOwner;
  readonly #conn: Connection;
  readonly #client: FlowClient;
  readonly #sock: Socket;
  readonly #idle: Idle;
  #queue: Buffer[] | undefined = [];
  #closed = false;
  #sockClosed = false;
  #waiters: (() => void)[] = [];

  constructor(ctx: ProxyContext, owner: FlowOwner, conn: Connection, client: FlowClient) {
    this.key = client.key;
    this.#ctx = ctx;
    this.#owner = owner;
    this.#conn = conn;
    this.#client = client;
    const now = ctx.clock.now();
    this.#idle = new Idle(now);
    conn.expiresMs = now + ctx.director.timeouts.udpMs;
    const dest = conn.dest;
    const sock = literalUdpSocket(addressFamily(dest.address));
    this.#sock = sock;
    (sock as Tagged)[FLOW] = this;
    sock.on('message', onReply);
    sock.on('error', onError);
    sock.connect(dest.port, dest.address, (err?: Error) => this.#connected(err));
    ctx.track(this);
  }

  /** A datagram from the client towards the real server. */
  send(msg: Buffer): void {
    if (this.#closed) return;
    this.#idle.ticks++;
    this.#conn.countIn(msg.length);
    const q = this.#queue;
    if (!q) this.#sock.send(msg);
    else if (q.length < MAX_QUEUED) q.push(msg);
  }

  sweep(nowMs: number): void {
    const expires = this.#idle.expiry(nowMs, this.#ctx.director.timeouts.udpMs);
    this.#conn.expiresMs = expires;
    if (nowMs >= expires) this.close();
  }

  bufferedBytes(): number {
    return 0;
  }

  destroy(): Promise<void> {
    this.close();
    return this.#sockClosed ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** End the flow now: its socket closes, its Connection is released. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.close(() => this.#sockClosedNow());
    this.#conn.close(this.#ctx.clock.now());
    this.#owner.forget(this);
    this.#ctx.untrack(this);
  }

  #connected(err: Error | undefined): void {
    const q = this.#queue ?? [];
    this.#queue = undefined;
    if (err) this.close();
    if (this.#closed) return;
    for (const m of q) this.#sock.send(m);
  }

  /** A reply datagram from the real server (shared listener entry point). */
  replied(msg: Buffer): void {
    if (this.#closed) return;
    this.#idle.ticks++;
    this.#conn.countOut(msg.length);
    this.#owner.reply(msg, this.#client.address, this.#client.port);
    if (this.#client.onePacket) this.close();
  }

  #sockClosedNow(): void {
    this.#sockClosed = true;
    for (const w of this.#waiters) w();
    this.#waiters = [];
  }
}

function onReply(this: Tagged, msg: Buffer): void {
  this[FLOW]?.replied(msg);
}

/** ICMP unreachable and the like: drop the flow; the client's next datagram is scheduled afresh. */
function onError(this: Tagged): void {
  this[FLOW]?.close();
}
