import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebfarmError } from '../model/errors.ts';
import { formatEndpoint, parseEndpoint } from '../model/endpoint.ts';
import type { AdminHandler } from './api.ts';
import { sendError, ApiError } from './http.ts';
import { isDashboardPath } from './routes/dashboard.ts';
import { bearerMatches, readTokenFile } from './token.ts';

export interface AdminTcpOptions {
  /** `ADDRESS:PORT` (`[v6]:PORT`); port 0 picks a free one (tests). */
  readonly listen: string;
  /** File holding the bearer token (readTokenFile's rules). Required. */
  readonly tokenFile: string;
}

/**
 * The optional TCP admin listener (`--admin-listen`, config `admin.listen`): the same API as the Unix
 * socket, but every request must carry `Authorization: Bearer TOKEN` — except the dashboard's static files
 * (`/`, `/dashboard`, `/web/…`), which hold no data and which a browser must load before it has the token.
 * Without or with a wrong token: 401 JSON error, nothing changed. Plain HTTP: bind it to loopback or put
 * it behind a TLS proxy.
 */
export async function listenAdminTcp(handler: AdminHandler, o: AdminTcpOptions): Promise<AdminTcpServer> {
  const ep = parseEndpoint(o.listen);
  if (!ep.ok) throw new WebfarmError('WF_ERR_ADMIN_REQUEST', `admin listen address: ${ep.error}`);
  const token = await readTokenFile(o.tokenFile);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    if (isDashboardPath(path) || bearerMatches(req.headers.authorization, token)) {
      handler(req, res);
      return;
    }
    req.resume();
    res.setHeader('www-authenticate', 'Bearer realm="webfarm"');
    const given = req.headers.authorization !== undefined;
    sendError(
      res,
      new ApiError(
        401,
        'WF_ERR_ADMIN_UNAUTHORIZED',
        given ? 'wrong bearer token' : 'bearer token required',
        'authorization',
      ),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new WebfarmError('WF_ERR_ADMIN_REQUEST', `admin listener ${o.listen}: ${(e as Error).message}`)),
    );
    server.listen(ep.value.port, ep.value.address, () => resolve());
  });
  return new AdminTcpServer(server);
}

export class AdminTcpServer {
  constructor(readonly server: Server) {}

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get endpoint(): string {
    const a = this.server.address() as AddressInfo;
    return formatEndpoint(a.address, a.port);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
