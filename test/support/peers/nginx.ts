import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../net.ts';
import { type ChildServer, findBinary, startChild } from './child-server.ts';
import type { TlsCert } from './tls-cert.ts';

/**
 * A real nginx (Debian nginx-light) run in the foreground as a child of the test, single process, with a
 * generated config in `dir`. Every server block serves the same locations:
 *   /health       200 "ok host=<Host> sni=<SNI>"     /boom       500 "boom"
 *   /maintenance  200 "maintenance" (a wrong body)     /teapot     418 "short and stout"
 *   /moved        302 to /health                       /big        200, 100 KiB, "BIG-END" at the very end
 *   /slow         200, 32 KiB at 512 B/s, "SLOW-END" at the end (a body that outlasts any check timeout)
 */
export interface Nginx {
  readonly server: ChildServer;
  /** Plain HTTP port. */
  readonly port: number;
  /** HTTPS port, when started with a certificate. */
  readonly tlsPort: number | undefined;
  stop(): Promise<void>;
}

export function nginxBinary(): string | undefined {
  return findBinary('nginx');
}

const LOCATIONS = `
    location = /health { return 200 "ok host=$host sni=$ssl_server_name\\n"; }
    location = /boom { return 500 "boom\\n"; }
    location = /maintenance { return 200 "maintenance\\n"; }
    location = /teapot { return 418 "short and stout\\n"; }
    location = /moved { return 302 /health; }
    location = /big { alias DIR/big.txt; }
    location = /slow { alias DIR/slow.txt; limit_rate 512; }
    location / { return 200 "root\\n"; }
`;

function config(dir: string, port: number, tls: { port: number; cert: TlsCert } | undefined): string {
  const locations = LOCATIONS.replaceAll('DIR', dir);
  const https = tls
    ? `  server {
    listen 127.0.0.1:${tls.port} ssl;
    ssl_certificate ${tls.cert.certFile};
    ssl_certificate_key ${tls.cert.keyFile};
${locations}  }\n`
    : '';
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${dir}/${t};`)
    .join('\n');
  return `daemon off;
master_process off;
worker_processes 1;
error_log stderr notice;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  default_type text/plain;
${temp}
  server {
    listen 127.0.0.1:${port};
${locations}  }
${https}}
`;
}

/** Start nginx on fresh loopback ports; the caller stops it (by PID) in after(). */
export async function startNginx(binary: string, dir: string, cert?: TlsCert): Promise<Nginx> {
  await writeFile(join(dir, 'big.txt'), `${'b'.repeat(100 * 1024)}BIG-END\n`);
  await writeFile(join(dir, 'slow.txt'), `${'s'.repeat(32 * 1024)}SLOW-END\n`);
  const port = await freePort();
  const tls = cert ? { port: await freePort(), cert } : undefined;
  const confFile = join(dir, 'nginx.conf');
  await writeFile(confFile, config(dir, port, tls));
  // nginx logs "getrlimit" from ngx_os_status, after ngx_init_cycle has opened the listening sockets.
  const server = await startChild(binary, {
    args: ['-p', dir, '-c', confFile, '-e', 'stderr'],
    ready: /getrlimit/,
  });
  return { server, port, tlsPort: tls?.port, stop: () => server.stop() };
}
