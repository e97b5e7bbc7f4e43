import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_EVENT_TYPES, type AdminEvent } from '../events/admin-event.ts';
import { SSE_RETRY_MS, sseComment, sseFrame } from '../events/sse.ts';
import { ApiError } from '../http.ts';
import type { AdminRuntime } from '../runtime.ts';

/** A client this far behind (bytes queued in its socket) is cut off; it can resume with Last-Event-ID. */
export const MAX_QUEUED_BYTES = 1024 * 1024;

const TYPES: ReadonlySet<string> = new Set(ADMIN_EVENT_TYPES);

interface Filter {
  readonly types: ReadonlySet<string> | undefined;
  readonly subject: string | undefined;
  readonly since: number | undefined;
}

/**
 * GET /v1/events: the event stream as server-sent events (docs/api.md "Events"). Query: `type=a,b` (only
 * these types), `subject=PREFIX` (subjects starting with it), `since=ID` (replay kept events after ID;
 * the `Last-Event-ID` header does the same). A comment every `runtime.heartbeatMs`. The subscription and
 * the heartbeat end when the client goes away.
 */
export function serveEvents(runtime: AdminRuntime, req: IncomingMessage, res: ServerResponse): void {
  const filter = parseFilter(req);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: ${SSE_RETRY_MS}\n${sseComment('webfarm events')}`);
  const wants = (e: AdminEvent) =>
    (!filter.types || filter.types.has(e.type)) &&
    (filter.subject === undefined || e.subject.startsWith(filter.subject));
  const send = (text: string) => {
    if (res.writableLength > MAX_QUEUED_BYTES) {
      res.destroy();
      return;
    }
    res.write(text);
  };
  if (filter.since !== undefined) {
    for (const e of runtime.events.since(filter.since)) if (wants(e)) send(sseFrame(e));
  }
  const unsubscribe = runtime.events.subscribe((e) => {
    if (wants(e)) send(sseFrame(e));
  });
  const heartbeat = runtime.clock.setInterval(() => send(sseComment('heartbeat')), runtime.heartbeatMs);
  const end = () => {
    unsubscribe();
    heartbeat.cancel();
  };
  res.once('close', end);
  req.once('close', end);
}

function parseFilter(req: IncomingMessage): Filter {
  const q = new URL(req.url ?? '/', 'http://admin').searchParams;
  for (const k of q.keys()) {
    if (!['type', 'subject', 'since'].includes(k))
      throw new ApiError(400, 'WF_ERR_ADMIN_BAD_REQUEST', `unknown query parameter "${k}"`, k);
  }
  const typeText = q.get('type');
  const types = typeText ? new Set(typeText.split(',')) : undefined;
  for (const t of types ?? []) {
    if (!TYPES.has(t))
      throw new ApiError(400, 'WF_ERR_ADMIN_BAD_REQUEST', `unknown event type "${t}"`, 'type');
  }
  const sinceText = q.get('since') ?? header(req, 'last-event-id');
  const since = sinceText === undefined ? undefined : Number(sinceText);
  if (since !== undefined && (!Number.isInteger(since) || since < 0))
    throw new ApiError(400, 'WF_ERR_ADMIN_BAD_REQUEST', `since: "${sinceText}" is not an event id`, 'since');
  return { types, subject: q.get('subject') ?? undefined, since };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
