import { type Socket, type SocketOptions, createSocket } from 'node:dgram';

type Lookup = NonNullable<SocketOptions['lookup']>;

/** One lookup per family, shared by every socket (no closure per flow; see tcp-session.ts on keepNames). */
const LITERAL: Record<4 | 6, Lookup> = {
  4(address, _options, cb) {
    cb(null, address, 4);
  },
  6(address, _options, cb) {
    cb(null, address, 6);
  },
};

/**
 * A UDP socket for IP literals only. Every address the engine sends to is already an IP address, so the
 * default `dns.lookup` on each `send` is pure overhead (an extra asynchronous hop per datagram); this
 * lookup answers at once. Measured in bench/: about 6 % less CPU per echoed datagram.
 */
export function literalUdpSocket(family: 4 | 6): Socket {
  return createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: LITERAL[family] });
}
