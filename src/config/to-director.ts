import type { FarmPlan, NftPlan } from '../director/farm-plan.ts';
import { parseNetmask } from '../director/netmask.ts';
import type { RealServerSpec } from '../director/real-server.ts';
import {
  type PassiveHealthSpec,
  type PersistenceSpec,
  type ServiceSpec,
  serviceId,
} from '../director/virtual-service.ts';
import { addressFamily } from '../model/endpoint.ts';
import { WebfarmError } from '../model/errors.ts';
import {
  SCHEDULER_FLAGS,
  SCHEDULER_NAMES,
  type SchedulerFlag,
  type SchedulerName,
} from '../scheduler/scheduler.ts';
import { type Config, nftSchema, type RealServerConfig, type ServiceConfig } from './schema.ts';
import { toCluster } from './to-cluster.ts';
import { toHealthPlan } from './to-health.ts';

/**
 * A validated Config (load.ts) → the director's plan: camelCase specs, durations in ms, real ports and
 * persistence netmasks resolved. Pure. Input that load.ts would have rejected throws
 * WF_ERR_CONFIG_INVALID rather than producing a half-valid plan.
 */
export function toDirector(config: Config): FarmPlan {
  if (config.engine !== 'nft' && config.nft !== undefined) invalid('nft settings need engine: nft');
  return {
    engine: config.engine,
    ...(config.engine === 'nft' ? { nft: nftPlan(config) } : {}),
    timeouts: { tcpMs: config.timeouts.tcp, tcpFinMs: config.timeouts.tcpfin, udpMs: config.timeouts.udp },
    admin: {
      ...(config.admin.socket === undefined ? {} : { socket: config.admin.socket }),
      ...(config.admin.state_file === undefined ? {} : { stateFile: config.admin.state_file }),
      ...(config.admin.listen === undefined || config.admin.token_file === undefined
        ? {}
        : { listen: { listen: config.admin.listen, tokenFile: config.admin.token_file } }),
    },
    services: config.services.map((s) => ({
      spec: serviceSpec(s),
      reals: s.real_servers.map((r) => realSpec(r, s.port)),
    })),
    health: toHealthPlan(config),
    ...(config.cluster === undefined ? {} : { cluster: toCluster(config.cluster) }),
  };
}

/** The nft section with its defaults; per-service `masquerade` overrides the section's. */
function nftPlan(config: Config): NftPlan {
  const n = config.nft ?? nftSchema.parse({});
  const masq = config.services.filter((s) => s.masquerade ?? n.masquerade);
  return {
    ...(n.device === undefined ? {} : { device: n.device }),
    table: n.table,
    numgen: n.numgen,
    mhTableSize: n.mh_table_size,
    statsIntervalMs: n.stats_interval,
    masquerade:
      n.masquerade && masq.length === config.services.length
        ? true
        : masq.map((s) => serviceId(s.protocol, s.address, s.port)),
  };
}

export function serviceSpec(s: ServiceConfig): ServiceSpec {
  const persistence = s.persistence && persistenceSpec(s.address, s.persistence);
  return {
    ...(s.name === undefined ? {} : { name: s.name }),
    protocol: s.protocol,
    address: s.address,
    port: s.port,
    scheduler: schedulerName(s.scheduler),
    flags: s.scheduler_flags.map(schedulerFlag),
    ...(persistence === undefined ? {} : { persistence }),
    expireQuiescentTemplate: s.expire_quiescent_template,
    onePacket: s.one_packet,
    proxyProtocol: s.proxy_protocol,
    connect: { timeoutMs: s.connect.timeout, retries: s.connect.retries, redispatch: s.connect.redispatch },
    ...(s.passive_health === undefined ? {} : { passive: passiveSpec(s.passive_health) }),
  };
}

function passiveSpec(p: NonNullable<ServiceConfig['passive_health']>): PassiveHealthSpec {
  return {
    consecutiveFailures: p.consecutive_failures,
    baseEjectionMs: p.base_ejection_time,
    maxEjectionMs: p.max_ejection_time,
    maxEjectionPercent: p.max_ejection_percent,
  };
}

/** A real server without a port takes the service's (ipvsadm -r ADDRESS). */
export function realSpec(r: RealServerConfig, servicePort: number): RealServerSpec {
  return {
    address: r.address,
    port: r.port ?? servicePort,
    weight: r.weight,
    upperThreshold: r.upper_threshold,
    lowerThreshold: r.lower_threshold,
    forward: r.forward,
  };
}

/** The netmask defaults to one client address: /32 for IPv4, /128 for IPv6 (ipvsadm -M). */
function persistenceSpec(address: string, p: NonNullable<ServiceConfig['persistence']>): PersistenceSpec {
  const family = addressFamily(address);
  if (p.netmask === undefined) return { timeoutMs: p.timeout, prefix: family === 4 ? 32 : 128 };
  const m = parseNetmask(p.netmask, family);
  if (!m.ok) invalid(`persistence netmask: ${m.error}`);
  return { timeoutMs: p.timeout, prefix: m.prefix };
}

function schedulerName(name: string): SchedulerName {
  const known = SCHEDULER_NAMES.find((n) => n === name);
  if (known === undefined) invalid(`unknown scheduler "${name}"`);
  return known;
}

function schedulerFlag(flag: string): SchedulerFlag {
  const known = SCHEDULER_FLAGS.find((f) => f === flag);
  if (known === undefined) invalid(`unknown scheduler flag "${flag}"`);
  return known;
}

function invalid(message: string): never {
  throw new WebfarmError('WF_ERR_CONFIG_INVALID', message);
}
