import { request } from 'node:http';
import { WebfarmError } from '../model/errors.ts';

/** Call the admin API of a running director over its Unix socket. Rejects with WF_ERR_ADMIN_*. */
export function adminRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { socketPath, method, path, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const parsed = JSON.parse(text) as unknown;
            if ((res.statusCode ?? 500) >= 400) {
              const error = (parsed as { error?: { message?: string; code?: string; field?: string } }).error;
              const msg = error?.message ?? text;
              // cause: the HTTP status and the API's error object, for callers that map codes (ipvsadm).
              const cause = { status: res.statusCode, error };
              reject(new WebfarmError('WF_ERR_ADMIN_REQUEST', `${method} ${path}: ${msg}`, { cause }));
            } else resolve(parsed);
          } catch {
            reject(new WebfarmError('WF_ERR_ADMIN_REQUEST', `${method} ${path}: unreadable reply`));
          }
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        new WebfarmError(
          'WF_ERR_ADMIN_UNREACHABLE',
          `cannot reach a director at ${socketPath} (${e.code ?? e.message}); is \`webfarm run\` running?`,
        ),
      ),
    );
    req.end(payload);
  });
}
