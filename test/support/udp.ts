import { type Socket, createSocket } from 'node:dgram';
import { once } from 'node:events';
import { LOOPBACK, within } from './net.ts';

/** UDP peers for integration tests, all on loopback port 0. */
export interface UdpPeer {
  readonly port: number;
  readonly socket: Socket;
  /** Datagrams received so far. */
  readonly received: Buffer[];
  close(): Promise<void>;
}

/** 'udp6' for an IPv6 literal, else 'udp4'. */
function udpType(host: string): 'udp4' | 'udp6' {
  return host.includes(':') ? 'udp6' : 'udp4';
}

async function bindPeer(
  onMessage: (peer: UdpPeer, msg: Buffer, port: number, address: string) => void,
  host = LOOPBACK,
) {
  const socket = createSocket(udpType(host));
  const received: Buffer[] = [];
  const peer: UdpPeer = {
    port: 0,
    socket,
    received,
    close: () => new Promise((r) => socket.close(() => r())),
  };
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    onMessage(peer, msg, rinfo.port, rinfo.address);
  });
  socket.bind(0, host);
  await once(socket, 'listening');
  return Object.assign(peer, { port: socket.address().port });
}

/** Replies to every datagram with its name. */
export function udpNameServer(name: string): Promise<UdpPeer> {
  return bindPeer((p, _msg, port, address) => p.socket.send(name, port, address));
}

/** Replies to every datagram with the same bytes. */
export function udpEchoServer(host = LOOPBACK): Promise<UdpPeer> {
  return bindPeer((p, msg, port, address) => p.socket.send(msg, port, address), host);
}

/** A client socket with a queue of replies. */
export interface UdpClient {
  readonly port: number;
  send(msg: string | Buffer, port: number): void;
  /** The next datagram received (bounded wait). */
  next(what?: string): Promise<Buffer>;
  /** Send and wait for one reply. */
  ask(msg: string | Buffer, port: number): Promise<string>;
  close(): Promise<void>;
}

export async function udpClient(host = LOOPBACK): Promise<UdpClient> {
  const socket = createSocket(udpType(host));
  const inbox: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  socket.on('message', (msg) => {
    const w = waiting.shift();
    if (w) w(msg);
    else inbox.push(msg);
  });
  socket.bind(0, host);
  await once(socket, 'listening');
  const c: UdpClient = {
    port: socket.address().port,
    send: (msg, port) => socket.send(msg, port, host),
    next: (what = 'a datagram') => {
      const b = inbox.shift();
      if (b) return Promise.resolve(b);
      return within(new Promise<Buffer>((r) => waiting.push(r)), what);
    },
    ask: async (msg, port) => {
      c.send(msg, port);
      return (await c.next(`reply to ${String(msg)}`)).toString();
    },
    close: () => new Promise((r) => socket.close(() => r())),
  };
  return c;
}

/** A UDP port nobody is bound to right now on loopback. */
export async function freeUdpPort(host = LOOPBACK): Promise<number> {
  const s = createSocket(udpType(host));
  s.bind(0, host);
  await once(s, 'listening');
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
