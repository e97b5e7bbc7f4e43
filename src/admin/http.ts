import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { type ErrorCode, isWebfarmError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';

/** Largest request body the admin API reads (bytes); larger bodies get 413 and change nothing. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The admin API's error reply: `{ error: { code, message, field } }` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field: string };
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The message is made printable: it may quote the request (a NUL or a line break in a malformed body). */
export function sendError(res: ServerResponse, e: ApiError): void {
  const body: ErrorBody = { error: { code: e.code, message: printable(e.message), field: e.field } };
  send(res, e.status, body);
}

const bad = (message: string, field: string) => new ApiError(400, 'WF_ERR_ADMIN_BAD_REQUEST', message, field);

/** The request body as JSON; an empty body is `{}`. Malformed JSON or an oversized body is a 400/413. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(413, 'WF_ERR_ADMIN_BAD_REQUEST', `body larger than ${MAX_BODY_BYTES} bytes`, 'body');
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw bad(`malformed JSON: ${(e as Error).message}`, 'body');
  }
}

/** Validate the whole body; the first issue names the field (dotted path; an unknown key names itself). */
export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (!issue) throw bad('invalid body', 'body');
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path, ...keys.slice(0, 1)].map(String);
  const field = path.length > 0 ? path.join('.') : 'body';
  const message =
    issue.code === 'unrecognized_keys' ? `unknown field "${field}"` : `${field}: ${issue.message}`;
  throw bad(message, field);
}

/** Map director/engine errors to statuses: missing 404, duplicate or port in use 409, invalid 422. */
export function toApiError(e: unknown, field: string): ApiError {
  if (e instanceof ApiError) return e;
  if (!isWebfarmError(e)) {
    return new ApiError(500, 'WF_ERR_ADMIN_REQUEST', `internal error: ${(e as Error).message}`, field);
  }
  const status: Partial<Record<ErrorCode, number>> = {
    WF_ERR_DIRECTOR_NO_SERVICE: 404,
    WF_ERR_DIRECTOR_NO_REAL: 404,
    WF_ERR_DIRECTOR_DUPLICATE_SERVICE: 409,
    WF_ERR_DIRECTOR_DUPLICATE_REAL: 409,
    WF_ERR_ENGINE_LISTEN: 409,
    WF_ERR_DIRECTOR_INVALID: 422,
    WF_ERR_SCHEDULER_UNKNOWN: 422,
    WF_ERR_SCHEDULER_FLAG: 422,
    WF_ERR_SCHEDULER_OPTION: 422,
    WF_ERR_ENGINE_UNSUPPORTED: 422,
  };
  return new ApiError(status[e.code] ?? 500, e.code, e.message, field);
}
