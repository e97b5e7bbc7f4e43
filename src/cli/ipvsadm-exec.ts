import { adminRequest } from '../admin/client.ts';
import type { PortNames } from '../admin/ipvsadm/address.ts';
import type { Command, ServerRef, ServiceRef } from '../admin/ipvsadm/command.ts';
import { formatConnections } from '../admin/ipvsadm/format-connections.ts';
import { formatList, formatSave, formatTimeouts } from '../admin/ipvsadm/format.ts';
import type { ConnectionEntry } from '../director/connections-snapshot.ts';
import type { DirectorSnapshot } from '../director/snapshot.ts';
import { serviceId } from '../director/virtual-service.ts';
import { formatEndpoint } from '../model/endpoint.ts';
import { isWebfarmError } from '../model/errors.ts';
import type { CliIo } from './io.ts';

/** Where and how one ipvsadm command runs: the admin socket, output, port names, the engine once known. */
export interface ExecContext {
  readonly socket: string;
  readonly io: CliIo;
  readonly names: PortNames;
  engine?: string;
  /** The "no forwarding method" note is printed once per invocation (a restore included). */
  notedDefault?: boolean;
}

type Api = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** ipvsadm's messages for what the kernel refuses (libipvs ipvs_strerror), by command and error code. */
const KERNEL_TEXT: Record<string, Record<string, string>> = {
  'add-service': { WF_ERR_DIRECTOR_DUPLICATE_SERVICE: 'Service already exists' },
  'edit-service': { WF_ERR_DIRECTOR_NO_SERVICE: 'No such service' },
  'delete-service': { WF_ERR_DIRECTOR_NO_SERVICE: 'No such service' },
  zero: { WF_ERR_DIRECTOR_NO_SERVICE: 'No such service' },
  'add-server': {
    WF_ERR_DIRECTOR_NO_SERVICE: 'Service not defined',
    WF_ERR_DIRECTOR_DUPLICATE_REAL: 'Destination already exists',
  },
  'edit-server': {
    WF_ERR_DIRECTOR_NO_SERVICE: 'Service not defined',
    WF_ERR_DIRECTOR_NO_REAL: 'No such destination',
  },
  'delete-server': {
    WF_ERR_DIRECTOR_NO_SERVICE: 'Service not defined',
    WF_ERR_DIRECTOR_NO_REAL: 'No such destination',
  },
};

/**
 * Carry out one parsed command against the director. Returns the exit status: 0 done; 255 (ipvsadm's -1)
 * when the director refuses, with ipvsadm's message; 1 for `-L` of a service that does not exist.
 * A director that cannot be reached throws (the caller prints it, exit 2 as ipvsadm's init failure).
 */
export async function execIpvsadm(cmd: Command, ctx: ExecContext): Promise<number> {
  const api: Api = (method, path, body) => adminRequest(ctx.socket, method, path, body);
  try {
    return await exec(cmd, ctx, api);
  } catch (e) {
    const refusal = refusalOf(e, cmd.kind);
    if (refusal === undefined) throw e;
    ctx.io.stderr(`${refusal}\n`);
    return 255;
  }
}

async function exec(cmd: Command, ctx: ExecContext, api: Api): Promise<number> {
  const { io, names } = ctx;
  switch (cmd.kind) {
    case 'list':
      return list(cmd, ctx, api);
    case 'save':
      io.stdout(formatSave(withoutFallbacks(await snapshot(api)), cmd.numeric, names));
      return 0;
    case 'add-service':
    case 'edit-service': {
      const s = cmd.settings;
      const body = {
        scheduler: s.scheduler,
        flags: s.flags,
        persistence: s.persistence
          ? { timeoutMs: s.persistence.timeoutS * 1000, prefix: s.persistence.prefix }
          : null,
        onePacket: s.onePacket,
      };
      if (cmd.kind === 'edit-service') await api('PUT', servicePath(cmd.service), body);
      else
        await api('POST', '/v1/services', {
          ...cmd.service,
          ...body,
          persistence: body.persistence ?? undefined,
        });
      return 0;
    }
    case 'delete-service':
      await api('DELETE', servicePath(cmd.service));
      return 0;
    case 'clear':
      await api('DELETE', '/v1/services');
      return 0;
    case 'add-server':
    case 'edit-server': {
      const forward = cmd.settings.forward ?? (await defaultForward(ctx, api, cmd.kind === 'add-server'));
      const { weight, upperThreshold, lowerThreshold } = cmd.settings;
      const settings = { weight, upperThreshold, lowerThreshold, forward };
      if (cmd.kind === 'add-server')
        await api('POST', `${servicePath(cmd.service)}/reals`, { ...cmd.server, ...settings });
      else await api('PUT', realPath(cmd.service, cmd.server), settings);
      return 0;
    }
    case 'delete-server':
      await api('DELETE', realPath(cmd.service, cmd.server));
      return 0;
    case 'zero':
      await api('POST', cmd.service ? `${servicePath(cmd.service)}/zero` : '/v1/zero');
      return 0;
    case 'set-timeouts':
      await api('PUT', '/v1/timeouts', {
        tcpMs: cmd.tcpS * 1000,
        tcpFinMs: cmd.tcpFinS * 1000,
        udpMs: cmd.udpS * 1000,
      });
      return 0;
    case 'restore':
    case 'help':
    case 'version':
      throw new Error(`${cmd.kind} is handled by the caller`);
  }
}

async function list(cmd: Extract<Command, { kind: 'list' }>, ctx: ExecContext, api: Api): Promise<number> {
  const { io, names } = ctx;
  const f = cmd.format;
  if (cmd.view === 'connections') {
    const entries = (await api('GET', '/v1/connections')) as ConnectionEntry[];
    io.stdout(formatConnections(entries, { numeric: f.numeric, persistentConn: f.persistentConn }, names));
  } else if (cmd.view === 'timeout') {
    io.stdout(formatTimeouts((await snapshot(api)).timeouts));
  } else if (cmd.view === 'services') {
    const snap = await snapshot(api);
    const id = cmd.service
      ? serviceId(cmd.service.protocol, cmd.service.address, cmd.service.port)
      : undefined;
    const only = id === undefined ? undefined : snap.services.find((s) => s.id === id);
    if (id !== undefined && !only) {
      io.stderr('No such service\n');
      return 1;
    }
    io.stdout(formatList(snap, f, names, only));
  }
  // --daemon: no sync daemon ever runs, and ipvsadm prints nothing then.
  return 0;
}

/**
 * ipvsadm's default method is -g. The proxy engine cannot route directly; it forwards every server as -m,
 * so a script's `-a … -r SERVER` without a method keeps working (port as written) and says so once on stderr.
 */
async function defaultForward(ctx: ExecContext, api: Api, adding: boolean): Promise<'masq' | 'route'> {
  ctx.engine ??= ((await api('GET', '/v1/status')) as { engine?: string }).engine ?? 'proxy';
  if (ctx.engine !== 'proxy') return 'route';
  if (adding && !ctx.notedDefault) {
    ctx.notedDefault = true;
    ctx.io.stderr(
      'webfarm ipvsadm: note: no forwarding method given (ipvsadm defaults to -g); the proxy engine forwards as -m (masquerading)\n',
    );
  }
  return 'masq';
}

async function snapshot(api: Api): Promise<DirectorSnapshot> {
  return (await api('GET', '/v1/status')) as DirectorSnapshot;
}

/** Fallback servers are put in and taken out by the health checks, not by rules: -S leaves them out. */
function withoutFallbacks(s: DirectorSnapshot): DirectorSnapshot {
  const isFallback = (r: object) => (r as { fallback?: boolean }).fallback === true;
  return {
    ...s,
    services: s.services.map((svc) => ({ ...svc, reals: svc.reals.filter((r) => !isFallback(r)) })),
  };
}

function servicePath(s: ServiceRef): string {
  return `/v1/services/${encodeURIComponent(serviceId(s.protocol, s.address, s.port))}`;
}

function realPath(s: ServiceRef, r: ServerRef): string {
  return `${servicePath(s)}/reals/${encodeURIComponent(formatEndpoint(r.address, r.port))}`;
}

/** The text to print for an API refusal, or undefined when `e` is not one (unreachable, internal). */
function refusalOf(e: unknown, kind: string): string | undefined {
  if (!isWebfarmError(e) || e.code !== 'WF_ERR_ADMIN_REQUEST') return undefined;
  const error = (e.cause as { error?: { code?: string; field?: string; message?: string } } | undefined)
    ?.error;
  const code = error?.code ?? '';
  const known = KERNEL_TEXT[kind]?.[code];
  if (known) return known;
  if ((kind === 'add-service' || kind === 'edit-service') && error?.field === 'scheduler') {
    return 'Scheduler or persistence engine not found';
  }
  return `webfarm ipvsadm: ${error?.message ?? e.message}`;
}
