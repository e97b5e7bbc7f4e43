import { ResourceGroup } from '../cluster/resources/group.ts';
import { IpAddrResource } from '../cluster/resources/ipaddr.ts';
import { LsbScriptResource } from '../cluster/resources/lsb-script.ts';
import { describeResult, type ProcessRunner } from '../cluster/resources/process-runner.ts';
import type { Resource } from '../cluster/resources/resource.ts';
import { ServicesResource, type ServicesControl } from '../cluster/resources/services.ts';
import type { ResourceGroupPlan, ResourcePlan } from '../config/cluster-plan.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/log.ts';

export interface GroupDeps {
  readonly clock: Clock;
  readonly runner: ProcessRunner;
  /** Binds and unbinds the engine's listeners (the `services` resource). */
  readonly services: ServicesControl;
  readonly log: Logger;
}

/**
 * The plan's resource groups as ResourceGroups (haresources semantics, cluster/resources/group.ts). The
 * group key is the first resource's name (`IPaddr::192.0.2.240`, `webfarm::services`, `/path::arg`), the
 * same on every node that reads the same config. Node names are lower-cased as the node does.
 */
export function buildGroups(plans: readonly ResourceGroupPlan[], deps: GroupDeps): ResourceGroup[] {
  return plans.map(
    (g) =>
      new ResourceGroup(
        g.preferred.toLowerCase(),
        g.resources.map((r) => buildResource(r, deps)),
      ),
  );
}

/** Whether any group carries the director's services (then the engine starts passive). */
export function hasServicesResource(plans: readonly ResourceGroupPlan[]): boolean {
  return plans.some((g) => g.resources.some((r) => r.kind === 'services'));
}

function buildResource(r: ResourcePlan, deps: GroupDeps): Resource {
  switch (r.kind) {
    case 'ipaddr':
      return new IpAddrResource(
        {
          address: r.address,
          ...(r.prefix === undefined ? {} : { prefix: r.prefix }),
          ...(r.device === undefined ? {} : { device: r.device }),
          arp: { count: r.arpCount, intervalMs: r.arpIntervalMs },
        },
        {
          clock: deps.clock,
          runner: deps.runner,
          onArp: (frame, result) => {
            if (result.code !== 0)
              deps.log.warn('cluster-arp-failed', {
                address: r.address,
                frame,
                result: describeResult(result),
              });
          },
        },
      );
    case 'services':
      return new ServicesResource(deps.services);
    case 'script':
      return new LsbScriptResource({ path: r.path, args: r.args }, deps.runner);
  }
}
