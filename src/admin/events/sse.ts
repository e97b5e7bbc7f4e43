import type { AdminEvent } from './admin-event.ts';

/**
 * Server-sent events framing (HTML Living Standard §9.2): one event = `id:`, `event:` and `data:` lines and a
 * blank line; the data is one line of JSON (JSON.stringify never emits a raw newline). A comment line
 * (`: text`) keeps proxies and idle timers from closing a quiet stream.
 */
export function sseFrame(e: AdminEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

export const sseComment = (text: string): string => `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;

/** Client reconnect delay the stream announces, ms (`retry:` field). */
export const SSE_RETRY_MS = 2000;

/** One SSE message as a client parser sees it. */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/**
 * Incremental SSE parser (for the CLI's --wait and tests): feed text chunks, get complete messages.
 * Comments are reported as `event: ''` with the comment text as data so callers can see heartbeats.
 */
export class SseParser {
  #buffer = '';

  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const out: SseMessage[] = [];
    let end = this.#buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const m = parseBlock(block);
      if (m) out.push(m);
      end = this.#buffer.indexOf('\n\n');
    }
    return out;
  }
}

function parseBlock(block: string): SseMessage | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  let comment: string | undefined;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length > 0) return { id, event, data: data.join('\n') };
  if (comment !== undefined) return { id: undefined, event: '', data: comment };
  return undefined;
}
