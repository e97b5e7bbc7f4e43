import { type IncomingHttpHeaders, request } from 'node:http';
import { within } from './net.ts';

/** Where an admin API listens in a test: a Unix socket path, or a TCP port on 127.0.0.1 (+ bearer token). */
export type AdminTarget =
  | { readonly socketPath: string }
  | { readonly port: number; readonly token?: string };

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** One request to the admin API; bounded wait. `body` objects are sent as JSON. */
export function adminCall(
  target: AdminTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const where =
    'socketPath' in target ? { socketPath: target.socketPath } : { host: '127.0.0.1', port: target.port };
  const auth =
    'token' in target && target.token !== undefined ? { authorization: `Bearer ${target.token}` } : {};
  const h = {
    ...auth,
    ...headers,
    ...(payload === undefined ? {} : { 'content-length': `${Buffer.byteLength(payload)}` }),
  };
  return within(
    new Promise<HttpReply>((resolve, reject) => {
      const req = request({ ...where, method, path, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    }),
    `${method} ${path}`,
  );
}

/** adminCall expecting JSON back. */
export async function adminJson<T = Record<string, unknown>>(
  target: AdminTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const r = await adminCall(target, method, path, body);
  try {
    return { status: r.status, body: JSON.parse(r.text) as T };
  } catch {
    throw new Error(
      `${method} ${path}: status ${r.status}, not JSON: ${JSON.stringify(r.text.slice(0, 200))}`,
    );
  }
}
