import type { PersistenceSpec, Protocol } from '../../director/virtual-service.ts';
import type { SchedulerFlag, SchedulerName } from '../../scheduler/scheduler.ts';

/**
 * What render.ts reads: a plain snapshot of the director's state plus the engine's facts (stable ids,
 * MAC addresses, devices). Built by snapshot-input.ts; hand-written in golden tests.
 */

/** NAT = LVS masq (-m), DNAT in the nat prerouting hook; DR = LVS route (-g), MAC rewrite in netdev ingress. */
export type NftMode = 'nat' | 'dr';

/** Which numgen mode drives the sequence schedulers (rr, wrr): `inc` = LVS order, `random` = kernel random. */
export type NumgenMode = 'inc' | 'random';

export interface NftRealView {
  /** Stable id (≥ 1) of this real server in the table: the packet and conntrack mark that names it. */
  readonly mark: number;
  /** "address:port" as in the director. */
  readonly id: string;
  readonly address: string;
  readonly port: number;
  /** Effective weight (0 = quiescent). */
  readonly weight: number;
  /** mh's last non-zero weight (maglev-table.ts); equals `weight` for other schedulers. */
  readonly lastWeight: number;
  /** Not removed for health, not in maintenance: persistence templates and flows may still use it. */
  readonly available: boolean;
  /** DR only: the real server's MAC on the service's device (lower-case, colon-separated). Absent when local. */
  readonly mac?: string;
  /**
   * The address is the director's own (loopback or configured here): served as IPVS's LOCALNODE. DR: the
   * packet is accepted unchanged into the director's stack; NAT: redirect (loopback) or DNAT to it.
   */
  readonly local?: boolean;
}

export interface NftServiceView {
  /** Stable id (≥ 0) of this service in the table: chain/map/counter names are `s<n>…`. */
  readonly n: number;
  /** The director's service id ("tcp:192.0.2.240:80"). */
  readonly id: string;
  readonly protocol: Protocol;
  readonly family: 4 | 6;
  readonly address: string;
  /** 0 = every port (persistent services only). */
  readonly port: number;
  readonly scheduler: SchedulerName;
  readonly flags: readonly SchedulerFlag[];
  readonly persistence?: PersistenceSpec;
  readonly expireQuiescentTemplate: boolean;
  readonly mode: NftMode;
  /** NAT: also masquerade (SNAT to the director's outgoing address), for real servers that do not route via us. */
  readonly masquerade: boolean;
  /** DR: the device that holds the VIP and reaches the real servers. */
  readonly device?: string;
  /** DR: the director's MAC on `device` (the frames we forward carry it as source). */
  readonly deviceMac?: string;
  /** Scheduling list order (newest first), as the director keeps it. */
  readonly reals: readonly NftRealView[];
}

export interface NftInput {
  /** Table name in both families (`inet` for NAT, `netdev` for DR). */
  readonly table: string;
  readonly services: readonly NftServiceView[];
  /** Idle timeouts of DR flow-table entries, ms (the director's ipvsadm --set values). */
  readonly timeouts: { readonly tcpMs: number; readonly tcpFinMs: number; readonly udpMs: number };
  readonly numgen: NumgenMode;
  /** mh lookup-table size (a kernel prime, default 65521). */
  readonly mhTableSize: number;
}
