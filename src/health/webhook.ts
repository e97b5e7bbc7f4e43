/** Outcome of one webhook POST: the HTTP status, or why there was none. */
export type PostOutcome = { ok: true; status: number } | { ok: false; error: string };

/** POSTs a JSON body (the adapter behind alert webhooks). Never rejects. */
export type JsonPoster = (url: string, body: unknown, timeoutMs: number) => Promise<PostOutcome>;

/** fetch with a bounded timeout; a non-2xx status is reported as a failure. */
export const fetchPoster: JsonPoster = async (url, body, timeoutMs) => {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? { ok: true, status: res.status } : { ok: false, error: `HTTP ${res.status}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return { ok: false, error: err.cause?.code ?? err.message };
  }
};
