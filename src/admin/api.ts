import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Director } from '../director/director.ts';
import type { Engine } from '../engines/engine.ts';
import { runWithCause } from './events/cause.ts';
import { type ClusterControl, getCluster, postStandby, postTakeover } from './routes/cluster.ts';
import { ApiError, sendError, send, toApiError } from './http.ts';
import type { ApiContext, Handler, Params } from './routes/context.ts';
import { isDashboardPath, serveDashboard } from './routes/dashboard.ts';
import { serveEvents } from './routes/events.ts';
import { serveMetrics } from './routes/metrics.ts';
import { type ReloadFn, reloadConfig } from './routes/reload.ts';
import { drainReal, enableReal, listDrains, maintainReal } from './routes/drain.ts';
import { addReal, deleteReal, getReal, listReals, patchReal, replaceReal } from './routes/reals.ts';
import {
  addService,
  clearServices,
  deleteService,
  editService,
  getService,
  listServices,
} from './routes/services.ts';
import {
  getStatus,
  getTimeouts,
  listConnections,
  setTimeouts,
  zeroAll,
  zeroService,
} from './routes/table.ts';
import { AdminRuntime } from './runtime.ts';

/** Facts about the running process the API reports beside the director tables. */
export interface RunInfo {
  readonly pid: number;
  readonly startedAt: string;
  readonly engine: string;
  readonly config: string | undefined;
}

export interface AdminApiOptions {
  /** The engine serving the director: services added through the API wait for its listener (all or nothing). */
  readonly engine?: Engine;
  /** Events, drains, metrics state; default: a new one over `director` (its owner should stop it). */
  readonly runtime?: AdminRuntime;
  /** POST /v1/reload re-reads the config through this (absent: 409, nothing to reload). */
  readonly reload?: ReloadFn;
  /** Called after every request that changed something (not GET, status < 400): the state file. */
  readonly onChange?: () => void;
  /** GET /v1/cluster, POST /v1/cluster/standby|takeover (absent: 409, no cluster). */
  readonly cluster?: ClusterControl;
}

export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Path pattern (":sid", ":rid" capture one segment) → handler per method. docs/api.md describes each. */
const ROUTES: ReadonlyArray<readonly [string, Readonly<Record<string, Handler>>]> = [
  ['v1/status', { GET: getStatus }],
  ['v1/reload', { POST: reloadConfig }],
  ['v1/cluster', { GET: getCluster }],
  ['v1/cluster/standby', { POST: postStandby }],
  ['v1/cluster/takeover', { POST: postTakeover }],
  ['v1/services', { GET: listServices, POST: addService, DELETE: clearServices }],
  ['v1/services/:sid', { GET: getService, PUT: editService, DELETE: deleteService }],
  ['v1/services/:sid/zero', { POST: zeroService }],
  ['v1/services/:sid/reals', { GET: listReals, POST: addReal }],
  ['v1/services/:sid/reals/:rid', { GET: getReal, PUT: replaceReal, PATCH: patchReal, DELETE: deleteReal }],
  ['v1/services/:sid/reals/:rid/drain', { POST: drainReal }],
  ['v1/services/:sid/reals/:rid/enable', { POST: enableReal }],
  ['v1/services/:sid/reals/:rid/maintenance', { POST: maintainReal }],
  ['v1/drains', { GET: listDrains }],
  ['v1/zero', { POST: zeroAll }],
  ['v1/timeouts', { GET: getTimeouts, PUT: setTimeouts }],
  ['v1/connections', { GET: listConnections }],
];

/** Routes that answer in their own format (not JSON): GET only. */
const RAW_ROUTES: Readonly<
  Record<string, (runtime: AdminRuntime, req: IncomingMessage, res: ServerResponse) => void>
> = {
  '/metrics': (runtime, _req, res) => serveMetrics(runtime, res),
  '/v1/events': serveEvents,
};

/**
 * The admin API as a request handler that never listens (tests call it in-process; admin/server.ts binds
 * it to the Unix socket). JSON in and out; errors are `{error: {code, message, field}}` with a 4xx status
 * and change nothing.
 */
export function buildAdminApi(
  director: Director,
  info: RunInfo,
  options: AdminApiOptions = {},
): AdminHandler {
  const runtime = options.runtime ?? new AdminRuntime({ director });
  runtime.engine ??= options.engine;
  const ctx: ApiContext = {
    director,
    info,
    engine: options.engine,
    runtime,
    reload: options.reload,
    cluster: options.cluster,
  };
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    if (isDashboardPath(path) && req.method === 'GET') {
      serveDashboard(path, res);
      return;
    }
    const raw = RAW_ROUTES[path];
    if (raw && req.method === 'GET') {
      try {
        raw(runtime, req, res);
      } catch (e) {
        sendError(res, toApiError(e, 'path'));
      }
      return;
    }
    runWithCause({ source: 'api', detail: `${req.method} ${path}` }, () => dispatch(ctx, req))
      .then(([status, body]) => {
        send(res, status, body);
        if (req.method !== 'GET' && status < 400) options.onChange?.();
      })
      .catch((e: unknown) => sendError(res, toApiError(e, 'body')));
  };
}

async function dispatch(ctx: ApiContext, req: IncomingMessage): Promise<readonly [number, unknown]> {
  const path = new URL(req.url ?? '/', 'http://admin').pathname;
  const segments = path.split('/').filter((s) => s !== '');
  for (const [pattern, methods] of ROUTES) {
    const params = match(pattern, segments);
    if (!params) continue;
    const handler = methods[req.method ?? 'GET'];
    if (!handler) {
      throw new ApiError(
        405,
        'WF_ERR_ADMIN_BAD_REQUEST',
        `method ${req.method} not allowed on ${path}`,
        'method',
      );
    }
    return handler(ctx, params, req);
  }
  throw new ApiError(404, 'WF_ERR_ADMIN_BAD_REQUEST', `no resource ${path}`, 'path');
}

function match(pattern: string, segments: readonly string[]): Params | undefined {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const want = parts[i] as string;
    const got = segments[i] as string;
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return undefined;
      }
    } else if (want !== got) return undefined;
  }
  return params;
}
