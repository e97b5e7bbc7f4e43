import { freePort } from '../net.ts';
import { type ChildServer, findBinary, startChild } from './child-server.ts';

/** A real redis-server on 127.0.0.1, no persistence, optionally with a password (requirepass). */
export interface RedisPeer {
  readonly port: number;
  readonly server: ChildServer;
}

export const REDIS_BINARY = findBinary('redis-server');

export async function startRedis(password?: string): Promise<RedisPeer> {
  if (!REDIS_BINARY) throw new Error('redis-server is not installed');
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'no', '--logfile', '', '--dir', '/tmp');
  if (password !== undefined) args.push('--requirepass', password);
  const server = await startChild(REDIS_BINARY, { args, ready: /Ready to accept connections/ });
  return { port, server };
}
