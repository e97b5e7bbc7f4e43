import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Director } from '../director/director.ts';
import { snapshotDirector } from '../director/snapshot.ts';

/** Facts about the running process the API reports beside the director tables. */
export interface RunInfo {
  readonly pid: number;
  readonly startedAt: string;
  readonly engine: string;
  readonly config: string | undefined;
}

export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The admin API as a request handler that never listens (tests call it in-process; admin/server.ts binds
 * it to the Unix socket). Read-only for now: GET /v1/status.
 */
export function buildAdminApi(director: Director, info: RunInfo): AdminHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    if (req.method === 'GET' && url.pathname === '/v1/status') {
      return send(res, 200, { ...info, ...snapshotDirector(director) });
    }
    if (url.pathname === '/v1/status') return send(res, 405, error('method not allowed', 'method'));
    return send(res, 404, error(`no resource ${url.pathname}`, 'path'));
  };
}

function error(message: string, field: string): { error: { message: string; field: string } } {
  return { error: { message, field } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
