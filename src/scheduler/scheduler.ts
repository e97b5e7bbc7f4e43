/**
 * The scheduler contract (LVS `struct ip_vs_scheduler`, reference/seed-system.md §4.3).
 *
 * A scheduler picks the real server for a NEW connection (or a new persistence template). It has no
 * hidden inputs: no clock (time arrives in `flow.nowMs`), no randomness, no I/O. Its only state is what
 * the kernel algorithm keeps (a cursor, a hash table) and that state changes only through `update` and
 * `pick`, so the same sequence of calls always gives the same picks.
 *
 * Destination order: `dests` is the service's scheduling list, NEWEST FIRST — a real server added later is
 * considered before those added earlier, exactly as the kernel inserts at the list head. Every "first wins"
 * tie rule refers to this order.
 */
export const SCHEDULER_NAMES = [
  'rr',
  'wrr',
  'lc',
  'wlc',
  'sed',
  'nq',
  'lblc',
  'lblcr',
  'dh',
  'sh',
  'mh',
  'fo',
  'ovf',
] as const;
export type SchedulerName = (typeof SCHEDULER_NAMES)[number];

/** ipvsadm `-b` scheduler flags (sh-fallback,sh-port for sh; mh-fallback,mh-port for mh). */
export const SCHEDULER_FLAGS = ['sh-fallback', 'sh-port', 'mh-fallback', 'mh-port'] as const;
export type SchedulerFlag = (typeof SCHEDULER_FLAGS)[number];

/** What a scheduler may read about a real server. */
export interface SchedDest {
  /** "address:port", unique within the service. */
  readonly id: string;
  readonly address: string;
  readonly port: number;
  /** Effective weight 0..65535; 0 = quiescent (never gets a NEW connection). */
  readonly weight: number;
  /** Kernel IP_VS_DEST_F_AVAILABLE: health not down and not in maintenance. */
  readonly available: boolean;
  /** Kernel IP_VS_DEST_F_OVERLOAD: the upper connection threshold was reached. */
  readonly overloaded: boolean;
  readonly activeConns: number;
  readonly inactConns: number;
}

/** The new connection being scheduled. Addresses are canonical text (see model/endpoint.ts). */
export interface Flow {
  readonly protocol: 'tcp' | 'udp';
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly virtualAddress: string;
  readonly virtualPort: number;
  /** Monotonic milliseconds; only expiry-based schedulers (lblc, lblcr) read it. */
  readonly nowMs: number;
}

export interface SchedulerOptions {
  readonly flags: ReadonlySet<SchedulerFlag>;
  /**
   * mh lookup-table size: one of the kernel's primes 251..131071 (default 65521, the kernel's
   * CONFIG_IP_VS_MH_TAB_INDEX=16; the kernel's own default, index 12, is 4093).
   */
  readonly mhTableSize?: number;
}

export interface Scheduler {
  readonly name: SchedulerName;
  /**
   * The list or a weight changed (kernel `add_dest`/`upd_dest`/`del_dest`): rebuild derived state.
   * Always called once before the first pick and after every change; `dests` is the complete new list.
   */
  update(dests: readonly SchedDest[]): void;
  /** Choose a destination for `flow`; undefined when none is eligible (the connection is refused). */
  pick(dests: readonly SchedDest[], flow: Flow): SchedDest | undefined;
}

export interface SchedulerFactory {
  readonly name: SchedulerName;
  /** One line for docs and `--help`. */
  readonly summary: string;
  /** The `-b` flags this scheduler accepts. */
  readonly flags: readonly SchedulerFlag[];
  create(options: SchedulerOptions): Scheduler;
}

/** Kernel `ip_vs_dest_conn_overhead`: active connections weigh 256 times an inactive one. */
export function connOverhead(d: SchedDest): number {
  return d.activeConns * 256 + d.inactConns;
}

/** Eligible for a new connection under the common rule: available, weight > 0, not overloaded. */
export function isEligible(d: SchedDest): boolean {
  return d.available && d.weight > 0 && !d.overloaded;
}
