import { resolveTiming } from '../cluster/membership/timing.ts';
import type { ClusterConfig, MediumConfig, ResourceConfig } from './cluster-schema.ts';
import type { AuthPlan, ClusterPlan, MediumPlan, ResourcePlan } from './cluster-plan.ts';

/**
 * A validated `cluster:` section (load.ts) → ClusterPlan. Pure. Timing the checks would have refused
 * throws WF_ERR_CLUSTER_TIMING (resolveTiming).
 */
export function toCluster(c: ClusterConfig): ClusterPlan {
  const t = c.timing;
  return {
    node: c.node,
    nodes: c.nodes,
    media: c.media.map(medium),
    timing: resolveTiming({
      ...(t.keepalive === undefined ? {} : { keepaliveMs: t.keepalive }),
      ...(t.warntime === undefined ? {} : { warntimeMs: t.warntime }),
      ...(t.deadtime === undefined ? {} : { deadtimeMs: t.deadtime }),
      ...(t.initdead === undefined ? {} : { initdeadMs: t.initdead }),
    }),
    auth: auth(c.auth),
    autoFailback: c.auto_failback,
    groups: c.resource_groups.map((g) => ({
      key: resourceKey(g.resources[0]),
      preferred: g.preferred,
      resources: g.resources.map(resource),
    })),
    pingNodes: c.ping_nodes,
    ...(c.stonith
      ? { stonith: { command: c.stonith.command, retryIntervalMs: c.stonith.retry_interval } }
      : {}),
    ...(c.generation_file === undefined ? {} : { generationFile: c.generation_file }),
  };
}

function medium(m: MediumConfig): MediumPlan {
  if (m.type === 'serial')
    return m.baud === undefined ? { type: 'serial', device: m.device } : { ...m, baud: m.baud };
  return m;
}

function auth(a: ClusterConfig['auth']): AuthPlan {
  if (a.authkeys_file !== undefined) return { kind: 'authkeys_file', path: a.authkeys_file };
  if (a.key_file !== undefined) return { kind: 'key_file', method: a.method, path: a.key_file };
  if (a.key !== undefined) return { kind: 'key', method: a.method, key: a.key };
  return { kind: 'crc' };
}

function resource(r: ResourceConfig): ResourcePlan {
  if (r.ipaddr) {
    const i = r.ipaddr;
    return {
      kind: 'ipaddr',
      address: i.address,
      ...(i.prefix === undefined ? {} : { prefix: i.prefix }),
      ...(i.device === undefined ? {} : { device: i.device }),
      arpCount: i.arp_count,
      arpIntervalMs: i.arp_interval,
    };
  }
  if (r.script) return { kind: 'script', path: r.script.path, args: r.script.args };
  return { kind: 'services' };
}

/** The group key as ResourceGroupPlan.key writes it. */
export function resourceKey(r: ResourceConfig | undefined): string {
  if (r?.ipaddr) return `ipaddr ${r.ipaddr.address}`;
  if (r?.script) return `script ${r.script.path}`;
  return 'services';
}
