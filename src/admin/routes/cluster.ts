import type { ReceiveCounters } from '../../cluster/receive-counters.ts';
import { ApiError, readJson, validate } from '../http.ts';
import { emptySchema } from '../schemas.ts';
import type { ApiContext, Handler } from './context.ts';

/**
 * GET /v1/cluster, POST /v1/cluster/standby, POST /v1/cluster/takeover (docs/api.md, docs/cluster.md
 * "Running a cluster"). The routes see the cluster through ClusterControl, which the composition root
 * (src/bin/cluster.ts) implements; a director without a cluster answers 409 WF_ERR_CLUSTER_UNAVAILABLE.
 */
export interface ClusterControl {
  /** Membership, links, groups and receive counters, as now. */
  doc(): Promise<ClusterDoc>;
  /** hb_standby: give every group to the peer. Answers at once; the handoff follows as events. */
  standby(): ClusterCommandOutcome;
  /** hb_takeover: take every group (asking the peer for those it holds). */
  takeover(): ClusterCommandOutcome;
}

export interface ClusterCommandOutcome {
  readonly accepted: boolean;
  readonly reason: string;
}

/** GET /v1/cluster. Names are lower case (heartbeat's rule); statuses as the node reports them. */
export interface ClusterDoc {
  /** Our node name. */
  readonly node: string;
  /** `up` until every peer has been heard from, then `active` (heartbeat's local status). */
  readonly status: string;
  readonly generation: number;
  /** Durations in ms. */
  readonly timing: {
    readonly keepaliveMs: number;
    readonly warntimeMs: number;
    readonly deadtimeMs: number;
    readonly initdeadMs: number;
  };
  readonly autoFailback: boolean;
  /** We are in standby (`webfarm standby`) until a takeover or a restart. */
  readonly standby: boolean;
  /** Every other node: `init` (never heard), `up`, `dead`; each link `init`, `up` or `dead`. */
  readonly peers: readonly {
    readonly name: string;
    readonly status: string;
    readonly links: readonly { readonly name: string; readonly status: string }[];
  }[];
  /** Our media: `up`, `down` (send errors, serial queue full) or `closed`. */
  readonly media: readonly { readonly name: string; readonly status: string }[];
  /** owner: our name, the peer's (as its last wf-hold says), or null when nobody holds it. */
  readonly groups: readonly {
    readonly key: string;
    readonly preferred: string;
    readonly owner: string | null;
    /** A take or give under way here. */
    readonly op: 'take' | 'give' | null;
  }[];
  /** Packets received: accepted, ignored (our own, e.g. looped broadcasts), and rejected by reason. */
  readonly counters: {
    readonly accepted: number;
    readonly ignored: number;
    readonly rejected: Readonly<Record<string, number>>;
  };
}

/** The receive filter's counters in the document's shape (every reject reason listed, zeros too). */
export function countersDoc(c: ReceiveCounters): ClusterDoc['counters'] {
  const { accepted, ignored, ...rejected } = c;
  return { accepted, ignored, rejected };
}

function control(ctx: ApiContext): ClusterControl {
  if (ctx.cluster === undefined) {
    throw new ApiError(409, 'WF_ERR_CLUSTER_UNAVAILABLE', 'this director runs no cluster', 'path');
  }
  return ctx.cluster;
}

export const getCluster: Handler = async (ctx) => [200, await control(ctx).doc()];

/** 202: accepted, the handoff follows; 409 WF_ERR_CLUSTER_REFUSED with the reason, nothing changed. */
function command(kind: 'standby' | 'takeover'): Handler {
  return async (ctx, _p, req) => {
    validate(emptySchema, await readJson(req));
    const c = control(ctx);
    const o = kind === 'standby' ? c.standby() : c.takeover();
    if (!o.accepted)
      throw new ApiError(409, 'WF_ERR_CLUSTER_REFUSED', `${kind} refused: ${o.reason}`, 'path');
    return [202, { [kind]: true, reason: o.reason }];
  };
}

export const postStandby: Handler = command('standby');
export const postTakeover: Handler = command('takeover');
