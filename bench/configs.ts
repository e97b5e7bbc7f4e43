import type { Forward } from './topology.ts';

/**
 * nginx as the HTTP backend on every address of its host (so also a DR VIP on lo): one process (`master_process off` = the single worker serves, so its PID is
 * the one to stop and measure), `return 200 "hello\n"`, no access log, keep-alive without a request cap.
 */
export function nginxConf(dir: string, port: number): string {
  return `daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 19000; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen ${port} backlog=4096;
    location / { default_type text/plain; return 200 "hello\\n"; }
  }
}
`;
}

/**
 * HAProxy 2.6 in TCP mode, one thread, each forward a `listen` section; timeouts as webfarm's defaults
 * (900 s established, 5 s connect).
 */
export function haproxyCfg(forwards: readonly Forward[], maxconn: number): string {
  const sections = forwards
    .filter((f) => f.protocol === 'tcp')
    .map(
      (f) =>
        `listen l${f.listen}\n  bind ${f.listenHost}:${f.listen}\n  server b1 ${f.backendHost}:${f.backend}\n`,
    );
  return `global
  nbthread 1
  maxconn ${maxconn}
defaults
  mode tcp
  maxconn ${maxconn}
  timeout connect 5s
  timeout client 900s
  timeout server 900s
${sections.join('')}`;
}
