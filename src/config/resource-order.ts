import type { ClusterConfig } from './cluster-schema.ts';
import type { PathIssue } from './issue.ts';
import type { IndexedService } from './semantic.ts';

/**
 * The nft engine in direct routing under the cluster (docs/cluster.md "nft DR resource order"): in a group
 * holding both the `services` and the `ipaddr` of a direct-routing service's address, `services` must come
 * first. Groups start left to right and stop right to left; with the address first there is a moment on
 * every take and give when the address is local but the netdev rules are not in force, and the director's
 * own TCP stack answers a live connection's packets with a reset. Pure.
 */
export function checkResourceOrder(
  services: readonly IndexedService[],
  engine: 'proxy' | 'nft',
  cluster: ClusterConfig | undefined,
): PathIssue[] {
  if (engine !== 'nft' || cluster === undefined) return [];
  const drAddresses = new Set(
    services.filter((s) => s.reals.some((r) => r.real.forward === 'route')).map((s) => s.service.address),
  );
  const issues: PathIssue[] = [];
  cluster.resource_groups.forEach((g, gi) => {
    const at = g.resources.findIndex((r) => r.services !== undefined);
    if (at < 0) return;
    g.resources.forEach((r, ri) => {
      const address = r.ipaddr?.address;
      if (ri > at || address === undefined || !drAddresses.has(address)) return;
      issues.push({
        path: ['cluster', 'resource_groups', gi, 'resources', at, 'services'],
        message:
          `with engine: nft, put services before the ipaddr ${address} (resources[${ri}]): ${address} has ` +
          'direct-routing services, whose rules must be in force whenever the address is local — otherwise ' +
          "the director's own stack resets live connections during a takeover or handoff",
      });
    });
  });
  return issues;
}
