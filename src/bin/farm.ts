import { type RunInfo, buildAdminApi } from '../admin/api.ts';
import { AdminRuntime } from '../admin/runtime.ts';
import { type AdminServer, listenAdmin } from '../admin/server.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import { tableDigest } from '../admin/state-file.ts';
import { buildStartDirector, resolveStateFile } from '../admin/state-file-start.ts';
import { StatePersister } from '../admin/state-file-write.ts';
import { type AdminTcpServer, listenAdminTcp } from '../admin/tcp-server.ts';
import type { Director } from '../director/director.ts';
import type { FarmPlan, NftPlan } from '../director/farm-plan.ts';
import type { Engine } from '../engines/engine.ts';
import { HealthSubsystem } from '../health/health-subsystem.ts';
import { type NftEngine, type NftEngineOptions, createNftEngine } from '../engines/nft/nft-engine.ts';
import { type ProxyEngine, createProxyEngine } from '../engines/proxy/proxy-engine.ts';
import { systemClock } from '../platform/clock.ts';
import type { Logger } from '../platform/log.ts';
import { systemRng } from '../platform/random.ts';
import { probeListen } from './listen-probe.ts';
import { type ReloadOutcome, Reloader } from './reload.ts';
import { hasServicesResource } from './cluster-groups.ts';
import { type RunningCluster, defaultGenerationFile, startCluster } from './cluster.ts';

/** A running director: the composition root wires the real clock, the proxy engine and the admin socket. */
export interface RunningFarm {
  readonly director: Director;
  readonly engine: Engine;
  readonly admin: AdminServer | undefined;
  /** The token-protected TCP admin listener (API, events, metrics, dashboard), when asked for. */
  readonly adminTcp: AdminTcpServer | undefined;
  /** The health checker; present when the plan has a health part. */
  readonly health: HealthSubsystem | undefined;
  /** Event bus, drains and metrics state of the admin side. */
  readonly runtime: AdminRuntime;
  /** The runtime state file kept equal to the table (docs/operations.md); undefined = none. */
  readonly stateFile: string | undefined;
  /** The cluster node and resource manager; present when the plan has a cluster part (docs/cluster.md). */
  readonly cluster: RunningCluster | undefined;
  /** Re-read the config and apply the difference (SIGHUP, POST /v1/reload); never throws for bad input. */
  reload(): Promise<ReloadOutcome>;
  stop(): Promise<void>;
}

export interface FarmOptions {
  readonly plan: FarmPlan;
  readonly configPath: string | undefined;
  /** Admin socket path; false = no admin socket. Default: the plan's, else defaultSocketPath(). */
  readonly socket?: string | false;
  /** TCP admin listener (`--admin-listen`; config admin.listen + admin.token_file); absent = none. */
  readonly adminListen?: { readonly listen: string; readonly tokenFile: string };
  /** Runtime state file; false = none. Default: the plan's `admin.stateFile`, else beside the socket. */
  readonly stateFile?: string | false;
  readonly log: Logger;
}

/**
 * Start in dependency order (director → engine listeners → health checks → admin socket); if any step
 * fails, undo the earlier ones before rethrowing, so nothing is left half-started. Stop: health first.
 */
export async function startFarm(o: FarmOptions): Promise<RunningFarm> {
  const socket = o.socket === undefined ? (o.plan.admin.socket ?? defaultSocketPath()) : o.socket;
  const stateFile = resolveStateFile(o.stateFile, o.plan, socket);
  // The config's table, or the state file's when it descends from this config (state-file-merge.ts).
  const director = await buildStartDirector(o.plan, stateFile, systemClock, o.log);
  const persister =
    stateFile === undefined
      ? undefined
      : new StatePersister(stateFile, director, tableDigest(o.plan), {
          onError: (e) => o.log.error('state-file-write', { path: stateFile, message: e.message }),
        });
  // Event stream, drains and metrics state; sees the engine's and the health checker's events too.
  const runtime = new AdminRuntime({ director, clock: systemClock });
  // A cluster whose groups carry the services binds them only while such a group is held here.
  const clustered = o.plan.cluster !== undefined && hasServicesResource(o.plan.cluster.groups);
  const onError = (e: Error) => o.log.error('engine-error', { message: e.message });
  const engine: ProxyEngine | NftEngine =
    o.plan.engine === 'nft'
      ? createNftEngine(director, nftOptions(o.plan.nft, !clustered, onError))
      : createProxyEngine(director, {
          active: !clustered,
          clock: systemClock,
          onError,
          // Passive-health ejections and returns: one structured warn line each (docs/passive-health.md).
          onEvent: (e) => {
            runtime.onEngineEvent(e);
            const { event, ...fields } = e;
            o.log.warn(event, fields);
          },
        });
  runtime.engine = engine;
  // nft: WF_ERR_NFT_* (missing, no privilege, a service it cannot do) before anything is applied.
  await engine.start();
  director.start();
  let admin: AdminServer | undefined;
  let adminTcp: AdminTcpServer | undefined;
  let health: HealthSubsystem | undefined;
  let cluster: RunningCluster | undefined;
  const reloader = new Reloader({
    configPath: o.configPath,
    plan: o.plan,
    director,
    engine,
    health: () => health,
    persister,
    log: o.log,
    // A standby binds nothing (its floating address is not local): new services bind when it takes over.
    // The nft engine binds no socket at all.
    probe: (protocol, address, port) =>
      engine.active && engine.name === 'proxy'
        ? probeListen(protocol, address, port)
        : Promise.resolve(undefined),
  });
  try {
    if (o.plan.health) {
      const checker = new HealthSubsystem(o.plan.health, {
        director,
        clock: systemClock,
        rng: systemRng,
        log: o.log,
      });
      runtime.watchHealth(checker);
      await checker.start();
      health = checker;
    }
    if (o.plan.cluster) {
      cluster = await startCluster({
        plan: o.plan.cluster,
        services: {
          activate: () => engine.activate(),
          deactivate: () => engine.deactivate(),
          active: () => engine.active,
        },
        log: o.log,
        defaultGenerationFile: defaultGenerationFile(socket === false ? defaultSocketPath() : socket),
      });
    }
    const info: RunInfo = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      engine: engine.name,
      config: o.configPath,
    };
    const api = buildAdminApi(director, info, {
      engine,
      runtime,
      reload: () => reloader.reload(),
      onChange: () => persister?.changed(),
      ...(cluster ? { cluster } : {}),
    });
    if (socket !== false) admin = await listenAdmin(api, socket);
    // The command line's --admin-listen wins over the config's admin.listen.
    const tcp = o.adminListen ?? o.plan.admin.listen;
    if (tcp) adminTcp = await listenAdminTcp(api, tcp);
  } catch (e) {
    await cluster?.stop();
    await admin?.close();
    await health?.stop();
    director.stop();
    await engine.stop();
    runtime.stop();
    throw e;
  }
  // Only a farm that started writes the state file: a failed start leaves the previous one as it was.
  persister?.start();
  return {
    director,
    engine,
    admin,
    adminTcp,
    health,
    runtime,
    stateFile,
    cluster,
    reload: () => reloader.reload(),
    async stop() {
      // Resources first: the peer takes over while the rest shuts down.
      await cluster?.stop();
      await health?.stop();
      await persister?.stop();
      runtime.stop();
      director.stop();
      await Promise.all([admin?.close(), adminTcp?.close(), engine.stop()]);
    },
  };
}

/** The plan's nft settings as engine options (docs/nft-engine.md); `active` false = a cluster standby. */
function nftOptions(p: NftPlan | undefined, active: boolean, onError: (e: Error) => void): NftEngineOptions {
  return {
    active,
    clock: systemClock,
    onError,
    ...(p?.device === undefined ? {} : { device: p.device }),
    ...(p === undefined
      ? {}
      : {
          table: p.table,
          numgen: p.numgen,
          mhTableSize: p.mhTableSize,
          statsIntervalMs: p.statsIntervalMs,
          masquerade: p.masquerade === true ? true : new Set(p.masquerade),
        }),
  };
}
