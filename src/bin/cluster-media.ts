import type { MediumSpec } from '../cluster/media/medium-spec.ts';
import type { MediumPlan } from '../config/cluster-plan.ts';

/**
 * The plan's media as the heartbeat worker's specs (opened inside the worker). Link names follow the
 * heartbeat directive (`bcast eth0`, `ucast eth0 192.0.2.5`, `serial /dev/ttyS0`, `mcast eth0 225.0.0.1`),
 * so every event and GET /v1/cluster name the line of the config they come from.
 *
 * heartbeat's own-address rule for ucast: a `ucast` line naming one of our own addresses (on our port) is
 * skipped, so one config listing every node's address fits all of them; `skipped` lists those lines.
 */
export function mediumSpecs(
  media: readonly MediumPlan[],
  localAddresses: ReadonlySet<string>,
): { readonly specs: MediumSpec[]; readonly skipped: string[] } {
  const specs: MediumSpec[] = [];
  const skipped: string[] = [];
  for (const m of media) {
    const name = mediumName(m);
    if (m.type === 'ucast' && localAddresses.has(m.peer)) {
      skipped.push(name);
      continue;
    }
    specs.push(mediumSpec(m, name));
  }
  return { specs, skipped };
}

export function mediumName(m: MediumPlan): string {
  switch (m.type) {
    case 'ucast':
      return `ucast ${m.device} ${m.peer}`;
    case 'bcast':
      return `bcast ${m.device}`;
    case 'mcast':
      return `mcast ${m.device} ${m.group}`;
    case 'serial':
      return `serial ${m.device}`;
  }
}

function mediumSpec(m: MediumPlan, name: string): MediumSpec {
  switch (m.type) {
    case 'ucast':
      return { kind: 'ucast', name, port: m.port, peers: [m.peer], localAddresses: [] };
    case 'bcast':
      return { kind: 'bcast', name, device: m.device, port: m.port };
    case 'mcast':
      return {
        kind: 'mcast',
        name,
        device: m.device,
        group: m.group,
        port: m.port,
        ttl: m.ttl,
        loop: m.loop,
      };
    case 'serial':
      return m.baud === undefined
        ? { kind: 'serial', name, device: m.device }
        : { kind: 'serial', name, device: m.device, baud: m.baud };
  }
}
