import { type Socket, createSocket } from 'node:dgram';

/**
 * A UDP socket for IP literals only. Every address the engine sends to is already an IP address, so the
 * default `dns.lookup` on each `send` is pure overhead (an extra asynchronous hop per datagram); this
 * lookup answers at once. Measured in bench/: about 6 % less CPU per echoed datagram.
 */
export function literalUdpSocket(family: 4 | 6): Socket {
  return createSocket({
    type: family === 6 ? 'udp6' : 'udp4',
    lookup: (address, _options, cb) => cb(null, address, family),
  });
}
