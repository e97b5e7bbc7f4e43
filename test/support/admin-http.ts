import { type IncomingHttpHeaders, request } from 'node:http';
import type { AdminEvent } from '../../src/admin/events/admin-event.ts';
import { type SseMessage, SseParser } from '../../src/admin/events/sse.ts';
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

/** A live subscription to GET /v1/events: every message received so far and a bounded wait for the next. */
export interface EventStream {
  readonly status: number;
  readonly messages: SseMessage[];
  /** Resolves with the first message (seen already or later) for which `pred` holds; bounded. */
  waitFor(pred: (m: SseMessage) => boolean, what: string, ms?: number): Promise<SseMessage>;
  close(): void;
}

export function openEvents(
  target: AdminTarget,
  query = '',
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const where =
    'socketPath' in target ? { socketPath: target.socketPath } : { host: '127.0.0.1', port: target.port };
  const auth =
    'token' in target && target.token !== undefined ? { authorization: `Bearer ${target.token}` } : {};
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  const parser = new SseParser();
  return within(
    new Promise<EventStream>((resolve, reject) => {
      const req = request(
        { ...where, method: 'GET', path: `/v1/events${query}`, headers: { ...auth, ...headers } },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            messages.push(...parser.push(chunk));
            for (const w of [...waiters]) w();
          });
          res.on('error', () => undefined);
          resolve({
            status: res.statusCode ?? 0,
            messages,
            waitFor(pred, what, ms = 5000) {
              const found = messages.find(pred);
              if (found) return Promise.resolve(found);
              return within(
                new Promise<SseMessage>((ok) => {
                  const check = () => {
                    const m = messages.find(pred);
                    if (m) {
                      waiters.delete(check);
                      ok(m);
                    }
                  };
                  waiters.add(check);
                }),
                what,
                ms,
              );
            },
            close: () => req.destroy(),
          });
        },
      );
      req.on('error', reject);
      req.end();
    }),
    'event stream response',
  );
}

/** The AdminEvent inside an SSE message. */
export function eventOf(m: SseMessage): AdminEvent {
  return JSON.parse(m.data) as AdminEvent;
}
