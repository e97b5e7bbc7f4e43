import { chmod, mkdir, unlink } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { WebfarmError } from '../model/errors.ts';
import type { AdminHandler } from './api.ts';

/**
 * Bind the admin API to a Unix socket with mode 0600 (directory 0700 when we create it). A stale socket
 * left by a dead director is replaced; a live one means another director runs: refuse to start.
 */
export async function listenAdmin(handler: AdminHandler, socketPath: string): Promise<AdminServer> {
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o700 });
  if (await isLive(socketPath)) {
    throw new WebfarmError(
      'WF_ERR_ADMIN_REQUEST',
      `admin socket ${socketPath} is in use by a running director`,
    );
  }
  await unlink(socketPath).catch(() => undefined);
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new WebfarmError('WF_ERR_ADMIN_REQUEST', `admin socket ${socketPath}: ${(e as Error).message}`)),
    );
    const old = process.umask(0o177);
    server.listen(socketPath, () => resolve());
    process.umask(old);
  });
  await chmod(socketPath, 0o600);
  return new AdminServer(server, socketPath);
}

export class AdminServer {
  constructor(
    readonly server: Server,
    readonly socketPath: string,
  ) {}

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await unlink(this.socketPath).catch(() => undefined);
  }
}

function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
