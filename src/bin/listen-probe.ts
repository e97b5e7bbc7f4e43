import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Protocol } from '../director/virtual-service.ts';
import { addressFamily } from '../model/endpoint.ts';

/**
 * Can a listener for (protocol, address, port) be bound right now? Binds exclusively and releases at once.
 * Resolves to undefined when it can, else the reason (EADDRINUSE, EADDRNOTAVAIL, EACCES ...). Used to
 * check every new service of a reload before anything is applied; the engine's own bind can still lose
 * a race, which the reload then rolls back.
 */
export function probeListen(protocol: Protocol, address: string, port: number): Promise<string | undefined> {
  return protocol === 'tcp' ? probeTcp(address, port) : probeUdp(address, port);
}

function probeTcp(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(undefined)));
  });
}

function probeUdp(address: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = createSocket(addressFamily(address) === 6 ? 'udp6' : 'udp4');
    s.once('error', (e: NodeJS.ErrnoException) => {
      s.close();
      resolve(e.code ?? e.message);
    });
    s.bind({ address, port, exclusive: true }, () => s.close(() => resolve(undefined)));
  });
}
