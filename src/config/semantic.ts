import { parseNetmask } from '../director/netmask.ts';
import { addressFamily, formatEndpoint } from '../model/endpoint.ts';
import type { PassiveHealthSpec } from '../director/virtual-service.ts';
import { nftProblems } from '../engines/nft/validate.ts';
import { MH_TABLE_SIZES } from '../scheduler/maglev-table.ts';
import { SCHEDULER_FLAGS, SCHEDULER_NAMES, type SchedulerName } from '../scheduler/scheduler.ts';
import type { PathIssue } from './issue.ts';
import type { Config, RealServerConfig, ServiceConfig } from './schema.ts';
import { unknownName } from './suggest.ts';

/**
 * Checks the schema cannot express. They run over the parts that passed the schema on their own, so a
 * file with a bad weight still gets its duplicate or scheduler problems reported: `index` is each part's
 * position in the file, so a message names the right entry even when its neighbours failed.
 */
export interface IndexedReal {
  readonly index: number;
  readonly real: RealServerConfig;
}

export interface IndexedService {
  readonly index: number;
  /** Its `real_servers` are ignored; `reals` holds the ones that passed. */
  readonly service: ServiceConfig;
  readonly reals: readonly IndexedReal[];
}

type Engine = Config['engine'];

/** A fully valid service, every real server included. */
export function indexService(service: ServiceConfig, index: number): IndexedService {
  return { index, service, reals: service.real_servers.map((real, i) => ({ index: i, real })) };
}

/** `engine` picks the engine-specific checks: forwarding methods, the nft engine's refusals. */
export function checkServices(services: readonly IndexedService[], engine: Engine = 'proxy'): PathIssue[] {
  return [
    ...checkDuplicateServices(services),
    ...services.flatMap(checkService),
    ...services.flatMap((s) => (engine === 'nft' ? checkNft(s) : checkProxyOnly(s))),
  ];
}

/** The engine a raw document asks for (the schema's default is proxy). */
export function engineOf(data: unknown): Engine {
  return (data as { engine?: unknown } | null)?.engine === 'nft' ? 'nft' : 'proxy';
}

/**
 * The top-level `nft` settings: only with `engine: nft`, and an mh table size the kernel offers. `nft` is
 * the raw section (checked even when other parts of the file fail the schema).
 */
export function checkEngine(engine: Engine, nft: unknown): PathIssue[] {
  if (nft === undefined) return [];
  if (engine !== 'nft') return [{ path: ['nft'], message: 'nft settings need engine: nft', atKey: true }];
  const size = (nft as { mh_table_size?: unknown } | null)?.mh_table_size;
  if (typeof size === 'number' && !(MH_TABLE_SIZES as readonly number[]).includes(size)) {
    return [
      {
        path: ['nft', 'mh_table_size'],
        message: `${size} is not one of the kernel's mh table sizes (${MH_TABLE_SIZES.join(', ')})`,
      },
    ];
  }
  return [];
}

export function checkService({ index, service: s, reals }: IndexedService): PathIssue[] {
  const at = (...rest: Array<string | number>) => ['services', index, ...rest];
  const issues: PathIssue[] = [];
  const add = (path: Array<string | number>, message: string) => issues.push({ path, message });

  if (s.port === 0 && !s.persistence) {
    add(at('port'), 'port 0 (every port) is only allowed on a persistent service; add persistence');
  }
  if (s.one_packet && s.protocol !== 'udp') add(at('one_packet'), 'is only valid with protocol udp');
  if (s.passive_health && s.protocol !== 'tcp') {
    add(
      at('passive_health'),
      'passive health watches TCP connects and resets; it is only valid with protocol tcp',
    );
  }
  if (!(SCHEDULER_NAMES as readonly string[]).includes(s.scheduler)) {
    add(at('scheduler'), unknownName('scheduler', s.scheduler, SCHEDULER_NAMES));
  } else {
    s.scheduler_flags.forEach((flag, i) => {
      const problem = flagProblem(s.scheduler, flag);
      if (problem) add(at('scheduler_flags', i), problem);
    });
  }
  const netmask = s.persistence?.netmask;
  if (netmask !== undefined) {
    const family = addressFamily(s.address);
    const m = parseNetmask(netmask, family);
    if (!m.ok) add(at('persistence', 'netmask'), `${m.error} (IPv${family} service)`);
  }
  issues.push(...checkDuplicateReals(s.port, reals, at('real_servers')));
  for (const r of reals) issues.push(...checkThresholds(r.real, at('real_servers', r.index)));
  return issues;
}

/** Flags are per scheduler (ipvsadm -b): sh-* for sh, mh-* for mh, none for the others. */
export function flagProblem(scheduler: string, flag: string): string | undefined {
  if (!(SCHEDULER_FLAGS as readonly string[]).includes(flag))
    return unknownName('flag', flag, SCHEDULER_FLAGS);
  const accepted = SCHEDULER_FLAGS.filter((f) => f.startsWith(`${scheduler}-`));
  if (accepted.some((f) => f === flag)) return undefined;
  const takes =
    accepted.length === 0 ? `${scheduler} takes no flags` : `${scheduler} takes ${accepted.join(', ')}`;
  return `flag "${flag}" is not valid for scheduler ${scheduler} (${takes})`;
}

function checkDuplicateServices(services: readonly IndexedService[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const byKey = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const { index, service: s } of services) {
    const key = `${s.protocol} ${formatEndpoint(s.address, s.port)}`;
    const first = byKey.get(key);
    if (first === undefined) byKey.set(key, index);
    else
      issues.push({
        path: ['services', index],
        message: `duplicate virtual service ${key} (also services[${first}])`,
      });
    if (s.name === undefined) continue;
    const named = byName.get(s.name);
    if (named === undefined) byName.set(s.name, index);
    else
      issues.push({
        path: ['services', index, 'name'],
        message: `duplicate name "${s.name}" (also services[${named}])`,
      });
  }
  return issues;
}

/** Two entries for the same address:port (the real port defaults to the service's). */
function checkDuplicateReals(
  servicePort: number,
  reals: readonly IndexedReal[],
  at: Array<string | number>,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const seen = new Map<string, number>();
  for (const { index, real } of reals) {
    const id = formatEndpoint(real.address, real.port ?? servicePort);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else
      issues.push({
        path: [...at, index],
        message: `duplicate real server ${id} (also real_servers[${first}])`,
      });
  }
  return issues;
}

/** The proxy engine terminates connections: it can only masquerade; `masquerade` is an nft setting. */
function checkProxyOnly({ index, service: s, reals }: IndexedService): PathIssue[] {
  const issues: PathIssue[] = [];
  if (s.masquerade !== undefined)
    issues.push({
      path: ['services', index, 'masquerade'],
      message: 'is a setting of engine: nft (the proxy engine always connects from the director)',
      atKey: true,
    });
  for (const { index: i, real: r } of reals) {
    if (r.forward === 'masq') continue;
    const what = r.forward === 'route' ? 'direct routing (route)' : 'IP tunnelling (tunnel)';
    const hint = r.forward === 'route' ? 'engine: nft' : 'IPIP, which this kernel lacks';
    issues.push({
      path: ['services', index, 'real_servers', i, 'forward'],
      message: `${what} needs ${hint}; the proxy engine forwards as masq`,
    });
  }
  return issues;
}

/** The nft engine's refusals (engines/nft/validate.ts, the same function its start runs), placed. */
function checkNft({ index, service: s, reals }: IndexedService): PathIssue[] {
  const at = (...rest: Array<string | number>) => ['services', index, ...rest];
  const dests = reals.map(({ real: r }) => ({
    id: formatEndpoint(r.address, r.port ?? s.port),
    address: r.address,
    forward: r.forward,
    upperThreshold: r.upper_threshold,
    lowerThreshold: r.lower_threshold,
  }));
  const spec = {
    scheduler: s.scheduler as SchedulerName,
    onePacket: s.one_packet,
    proxyProtocol: s.proxy_protocol,
    address: s.address,
    ...(s.passive_health ? { passive: {} as PassiveHealthSpec } : {}),
  };
  const known = (SCHEDULER_NAMES as readonly string[]).includes(s.scheduler);
  const issues: PathIssue[] = nftProblems({ id: '', spec, dests })
    .filter((p) => known || p.field !== 'scheduler')
    .map((p) =>
      typeof p.field === 'string'
        ? { path: at(p.field), message: p.message }
        : {
            path: at('real_servers', reals[p.field.real]?.index ?? 0, p.field.field),
            message: p.message,
          },
    );
  // ipvsadm gives a -g real server the service's port whatever was asked; in a file that is a mistake.
  for (const { index: i, real: r } of reals) {
    if (r.forward === 'route' && r.port !== undefined && r.port !== s.port)
      issues.push({
        path: at('real_servers', i, 'port'),
        message: `direct routing cannot change the port (the service's is ${s.port}); leave it out, or use masq for port mapping`,
      });
  }
  if (s.masquerade === true && dests.some((d) => d.forward === 'route'))
    issues.push({
      path: at('masquerade'),
      message: 'applies to NAT (forward: masq); direct routing (route) never rewrites addresses',
    });
  return issues;
}

/** ipvsadm -x/-y: the lower threshold needs an upper one and must not exceed it. */
function checkThresholds(r: RealServerConfig, at: Array<string | number>): PathIssue[] {
  const lower = r.lower_threshold;
  const upper = r.upper_threshold;
  if (lower === 0) return [];
  if (upper === 0) {
    return [{ path: [...at, 'lower_threshold'], message: `${lower} has no effect without upper_threshold` }];
  }
  if (lower > upper) {
    return [
      { path: [...at, 'lower_threshold'], message: `${lower} is greater than upper_threshold ${upper}` },
    ];
  }
  return [];
}
