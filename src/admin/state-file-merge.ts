import type { FarmTable } from '../config/diff.ts';
import { realIdOf } from '../config/diff.ts';
import type { AdminState } from '../director/real-server.ts';
import { serviceId } from '../director/virtual-service.ts';
import type { StateDoc } from './state-file.ts';

/**
 * Which wins at start when the config and the state file disagree (docs/operations.md "Which wins").
 * Pure.
 *
 * 1. No (readable) state file: the config.
 * 2. The state file descends from this very config (its configDigest equals the config table's digest):
 *    the state file wins entirely — services, real servers, settings, weights, admin states and timeouts
 *    come back exactly as they were when the director stopped, including what the API added or removed.
 * 3. The config changed since (digests differ): the operator edited the config, and starting with an
 *    edited config is a reload — the config wins for the table. The admin state (drain, maintenance) is
 *    the one thing the config never expresses, so it carries over for every (service, real server) the
 *    config still has. The other runtime changes recorded in the file are dropped (and reported).
 */
export interface StartTable {
  readonly table: FarmTable;
  /** Admin states other than `enabled` to set after building the director. */
  readonly admin: ReadonlyArray<{
    readonly serviceId: string;
    readonly realId: string;
    readonly admin: AdminState;
  }>;
  readonly source: 'config' | 'state-file';
  /** Case 3: the file recorded a table made from another config; its runtime changes were dropped. */
  readonly stale: boolean;
}

export function startTable(config: FarmTable, configDigest: string, state: StateDoc | undefined): StartTable {
  if (!state) return { table: config, admin: [], source: 'config', stale: false };
  const recorded = adminOf(state);
  if (state.configDigest === configDigest) {
    const services = state.services.map((s) => ({
      spec: s.spec,
      reals: s.reals.map(({ admin: _admin, ...spec }) => spec),
    }));
    return {
      table: { ...config, timeouts: state.timeouts, services },
      admin: recorded,
      source: 'state-file',
      stale: false,
    };
  }
  const present = new Set(
    config.services.flatMap((s) => s.reals.map((r) => `${idOf(s.spec)} ${realIdOf(r)}`)),
  );
  const admin = recorded.filter((a) => present.has(`${a.serviceId} ${a.realId}`));
  return { table: config, admin, source: 'config', stale: true };
}

function adminOf(state: StateDoc): StartTable['admin'] {
  return state.services.flatMap((s) =>
    s.reals
      .filter((r) => r.admin !== 'enabled')
      .map((r) => ({ serviceId: idOf(s.spec), realId: realIdOf(r), admin: r.admin })),
  );
}

function idOf(spec: { protocol: 'tcp' | 'udp'; address: string; port: number }): string {
  return serviceId(spec.protocol, spec.address, spec.port);
}
