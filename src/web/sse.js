// Incremental server-sent events parser (the same framing as src/admin/events/sse.ts): feed text chunks,
// get complete messages {id, event, data}; comments come back as {event: '', data: comment}.
export class SseParser {
  #buffer = '';

  push(chunk) {
    this.#buffer += chunk;
    const out = [];
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

function parseBlock(block) {
  let id;
  let event = 'message';
  let comment;
  const data = [];
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
