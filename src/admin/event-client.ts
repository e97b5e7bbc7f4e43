import { request } from 'node:http';
import { WebfarmError } from '../model/errors.ts';
import type { AdminEvent } from './events/admin-event.ts';
import { SseParser } from './events/sse.ts';

export interface EventSubscription {
  close(): void;
}

/**
 * Follow GET /v1/events over the admin Unix socket. Resolves once the stream is open (so changes made
 * after that are seen); `onEvent` gets each AdminEvent, `onEnd` is called if the director closes the stream.
 */
export function subscribeEvents(
  socketPath: string,
  query: string,
  onEvent: (e: AdminEvent) => void,
  onEnd: () => void = () => {},
): Promise<EventSubscription> {
  return new Promise((resolve, reject) => {
    const parser = new SseParser();
    const req = request({ socketPath, method: 'GET', path: `/v1/events${query}` }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new WebfarmError('WF_ERR_ADMIN_REQUEST', `GET /v1/events: status ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const m of parser.push(chunk)) if (m.event !== '') onEvent(JSON.parse(m.data) as AdminEvent);
      });
      res.on('end', onEnd);
      res.on('error', onEnd);
      resolve({ close: () => req.destroy() });
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        new WebfarmError(
          'WF_ERR_ADMIN_UNREACHABLE',
          `cannot reach a director at ${socketPath} (${e.code ?? e.message}); is \`webfarm run\` running?`,
        ),
      ),
    );
    req.end();
  });
}
