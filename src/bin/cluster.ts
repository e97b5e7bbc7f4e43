import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { ResourceManager } from '../cluster/manager/manager.ts';
import { commandPingProber } from '../cluster/manager/ping-prober.ts';
import { commandStonith } from '../cluster/manager/stonith.ts';
import { localIpv4Addresses } from '../cluster/media/ipv4-iface.ts';
import type { Message } from '../cluster/message.ts';
import type { ClusterEvent, ClusterListener } from '../cluster/node/cluster-event.ts';
import { HeartbeatWorker } from '../cluster/node/heartbeat-worker-host.ts';
import { membershipView } from '../cluster/node/membership-view.ts';
import type { ResourceGroup } from '../cluster/resources/group.ts';
import { type ProcessRunner, spawnProcessRunner } from '../cluster/resources/process-runner.ts';
import type { ServicesControl } from '../cluster/resources/services.ts';
import type { ClusterControl, ClusterDoc } from '../admin/routes/cluster.ts';
import { countersDoc } from '../admin/routes/cluster.ts';
import type { ClusterPlan } from '../config/cluster-plan.ts';
import { WebfarmError } from '../model/errors.ts';
import { type Clock, systemClock } from '../platform/clock.ts';
import type { Logger } from '../platform/log.ts';
import { buildGroups } from './cluster-groups.ts';
import { type KeyFs, loadClusterKeys } from './cluster-keys.ts';
import { logClusterEvent, logManagerEvent } from './cluster-log.ts';
import { mediumSpecs } from './cluster-media.ts';

/**
 * The cluster part of a running director (docs/cluster.md "Running a cluster"): the heartbeat node in its
 * worker thread, the resource groups, and the resource manager that takes and gives them.
 *
 * Start, in order: read the keys; build the groups; release whatever a previous run left held here (a node
 * killed with -9 leaves its address on the interface — a starting node holds nothing, and the manager then
 * decides from scratch); start the manager (subscribed before any membership event can arrive); start the
 * worker (media open, generation bumped on disk); forward its events. Any failure undoes the earlier steps.
 *
 * Stop: if the peer is up and we hold anything, `standby` first, so the peer takes over at once instead of
 * after deadtime; then stop following, give whatever is still held (a stopped director must not keep the
 * address: its kernel would answer ARP for a service nobody serves), and end the worker.
 */
export interface ClusterDeps {
  readonly plan: ClusterPlan;
  /** The `services` resource: binds and unbinds the engine's listeners. */
  readonly services: ServicesControl;
  readonly log: Logger;
  /** Where the generation number lives when the plan names no file. */
  readonly defaultGenerationFile: string;
  readonly clock?: Clock;
  readonly runner?: ProcessRunner;
  readonly keyFs?: KeyFs;
  /** Our IPv4 addresses (ucast own-address rule); default: this host's. */
  readonly localAddresses?: ReadonlySet<string>;
}

export interface RunningCluster extends ClusterControl {
  readonly manager: ResourceManager;
  readonly worker: HeartbeatWorker;
  stop(): Promise<void>;
}

/** How often ping nodes are probed (ha.cf has no setting for it; ipfail probes about this often). */
export const PING_INTERVAL_MS = 1000;
/** How long stop() waits for the standby handoff before giving the rest itself. */
const STOP_HANDOFF_MS = 400;

/** The generation file used when the config names none: persistent for root, beside the socket otherwise. */
export function defaultGenerationFile(socketPath: string): string {
  return process.getuid?.() === 0 ? '/var/lib/webfarm/generation' : join(dirname(socketPath), 'generation');
}

export async function startCluster(d: ClusterDeps): Promise<RunningCluster> {
  const { plan, log } = d;
  const clock = d.clock ?? systemClock;
  const runner = d.runner ?? spawnProcessRunner;
  const keys = loadClusterKeys(plan.auth, d.keyFs);
  const local = d.localAddresses ?? localIpv4Addresses(networkInterfaces());
  const { specs, skipped } = mediumSpecs(plan.media, local);
  for (const medium of skipped)
    log.info('cluster-medium-skipped', { medium, reason: 'names our own address' });
  if (specs.length === 0) {
    throw new WebfarmError('WF_ERR_CLUSTER_MEDIUM', 'every medium names our own address: no medium left');
  }
  const groups = buildGroups(plan.groups, { clock, runner, services: d.services, log });
  await releaseAll(groups, log, 'left by a previous run');
  const relay = new EventRelay();
  const manager = new ResourceManager({
    clock,
    membership: membershipView(relay, plan.node, plan.nodes),
    groups,
    autoFailback: plan.autoFailback,
    ...(plan.stonith
      ? {
          stonith: commandStonith(plan.stonith.command, runner),
          stonithRetryMs: plan.stonith.retryIntervalMs,
        }
      : {}),
    ...(plan.pingNodes.length > 0
      ? {
          ping: {
            prober: commandPingProber(runner),
            nodes: plan.pingNodes,
            intervalMs: PING_INTERVAL_MS,
          },
        }
      : {}),
  });
  const offManager = manager.on((e) => logManagerEvent(log, e));
  await manager.start();
  const generationFile = plan.generationFile ?? d.defaultGenerationFile;
  let worker: HeartbeatWorker;
  try {
    await mkdir(dirname(generationFile), { recursive: true, mode: 0o700 });
    worker = await HeartbeatWorker.start({
      localNode: plan.node,
      nodes: plan.nodes,
      keys,
      timing: plan.timing,
      media: specs,
      generationFile,
    });
  } catch (e) {
    manager.stop();
    offManager();
    throw e;
  }
  relay.attach(worker);
  const offLog = worker.on((e) => logClusterEvent(log, e));
  const snapshot = await worker.snapshot();
  log.info('cluster-started', {
    node: snapshot.localNode,
    generation: snapshot.generation,
    media: snapshot.media.map((m) => m.name).join(', '),
    groups: groups.map((g) => g.key).join(' '),
  });

  let stopping: Promise<void> | undefined;
  return {
    manager,
    worker,
    standby: () => manager.standby(),
    takeover: () => manager.takeover(),
    doc: async () => clusterDoc(plan, manager, await worker.snapshot()),
    stop() {
      stopping ??= (async () => {
        const s = manager.state;
        if (s.peer === 'up' && manager.groups().some((g) => g.held)) {
          const o = manager.standby();
          log.info('cluster-stopping', { handoff: o.accepted, reason: o.reason });
          await Promise.race([manager.settled(), new Promise((r) => setTimeout(r, STOP_HANDOFF_MS))]);
        }
        manager.stop();
        offManager();
        await releaseAll(groups, log, 'stopping');
        offLog();
        await worker.stop(1000);
      })();
      return stopping;
    },
  };
}

/**
 * Release every group with anything running here (right to left within each), owned or not, logging what
 * was released: at start and at stop this node holds nothing by definition.
 */
async function releaseAll(groups: readonly ResourceGroup[], log: Logger, why: string): Promise<void> {
  for (const g of groups) {
    const r = await g.release();
    if (r.changed) log.info('cluster-released', { group: g.key, why });
    if (!r.result.ok) log.error('cluster-release-failed', { group: g.key, why, reason: r.result.reason });
  }
}

function clusterDoc(
  plan: ClusterPlan,
  manager: ResourceManager,
  snap: Awaited<ReturnType<HeartbeatWorker['snapshot']>>,
): ClusterDoc {
  const s = manager.state;
  const { self, peer } = s.config;
  return {
    node: snap.localNode,
    status: snap.status,
    generation: snap.generation,
    timing: plan.timing,
    autoFailback: plan.autoFailback,
    standby: s.standby,
    peers: snap.peers,
    media: snap.media,
    groups: manager.groups().map((g) => ({
      key: g.key,
      preferred: g.preferred,
      owner: g.held ? self : s.peer === 'up' && s.peerHeld.has(g.key) ? peer : null,
      op: g.op ?? null,
    })),
    counters: countersDoc(snap.counters),
  };
}

/**
 * The manager subscribes before the worker exists (so no early membership event is lost); events are
 * relayed from the worker once attached, sends go to it (none are due before a peer is heard).
 */
class EventRelay {
  readonly #listeners = new Set<ClusterListener>();
  #target: HeartbeatWorker | undefined;

  attach(worker: HeartbeatWorker): void {
    this.#target = worker;
    worker.on((e) => this.#emit(e));
  }

  on(listener: ClusterListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  send(message: Message): void {
    this.#target?.send(message);
  }

  #emit(e: ClusterEvent): void {
    for (const l of this.#listeners) l(e);
  }
}
