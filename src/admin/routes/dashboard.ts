import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/** The dashboard's files (src/web/), by URL path. Nothing else under src/web is served. */
const FILES: Readonly<Record<string, readonly [string, string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/dashboard': ['index.html', 'text/html; charset=utf-8'],
  '/web/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/web/api.js': ['api.js', 'text/javascript; charset=utf-8'],
  '/web/chart.js': ['chart.js', 'text/javascript; charset=utf-8'],
  '/web/sse.js': ['sse.js', 'text/javascript; charset=utf-8'],
  '/web/render.js': ['render.js', 'text/javascript; charset=utf-8'],
  '/web/style.css': ['style.css', 'text/css; charset=utf-8'],
};

const WEB_DIR = new URL('../../web/', import.meta.url);

/** Same-origin only: scripts, styles and fetches from the listener itself; never framed. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function isDashboardPath(path: string): boolean {
  return Object.hasOwn(FILES, path);
}

/** GET / (and /dashboard, /web/…): the live dashboard's static files. They hold no data (no token needed). */
export function serveDashboard(path: string, res: ServerResponse): void {
  const entry = FILES[path];
  if (!entry) return;
  const [file, type] = entry;
  readFile(new URL(file, WEB_DIR)).then(
    (body) => {
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        'cache-control': 'no-cache',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(body);
    },
    (e: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`dashboard file ${file}: ${e.message}\n`);
    },
  );
}
