import type { AuthMethod } from '../cluster/auth.ts';
import type { Timing } from '../cluster/membership/timing.ts';

/**
 * What a director needs to run as a cluster node (FarmPlan.cluster), from the native config's `cluster:`
 * section (to-cluster.ts) or an imported ha.d. Durations in milliseconds; names as written. Files (key
 * files, authkeys) are named, not read: the runtime reads them at start (and on reload).
 */
export interface ClusterPlan {
  /** Our node name (default at load: uname -n). */
  readonly node: string;
  /** Every node, ours included. */
  readonly nodes: readonly string[];
  readonly media: readonly MediumPlan[];
  /** Resolved and valid (membership/timing.ts checkTiming). */
  readonly timing: Timing;
  readonly auth: AuthPlan;
  /** heartbeat auto_failback: the preferred node takes its groups back when it returns. */
  readonly autoFailback: boolean;
  readonly groups: readonly ResourceGroupPlan[];
  /** Ping nodes: the side reaching fewer gives up its resources (ipfail). */
  readonly pingNodes: readonly string[];
  readonly stonith?: { readonly command: readonly string[]; readonly retryIntervalMs: number };
  readonly generationFile?: string;
}

export type MediumPlan =
  | { readonly type: 'ucast'; readonly device: string; readonly peer: string; readonly port: number }
  | { readonly type: 'bcast'; readonly device: string; readonly port: number }
  | {
      readonly type: 'mcast';
      readonly device: string;
      readonly group: string;
      readonly port: number;
      readonly ttl: number;
      readonly loop: boolean;
    }
  /** `baud` absent: the serial medium's default. */
  | { readonly type: 'serial'; readonly device: string; readonly baud?: number };

/** How messages are signed: one inline key, a file holding the key, or a heartbeat authkeys file. */
export type AuthPlan =
  | { readonly kind: 'key'; readonly method: AuthMethod; readonly key: string }
  | { readonly kind: 'key_file'; readonly method: AuthMethod; readonly path: string }
  | { readonly kind: 'authkeys_file'; readonly path: string }
  /** crc: integrity only, no key. */
  | { readonly kind: 'crc' };

export interface ResourceGroupPlan {
  /** The first resource as text (`ipaddr 192.0.2.240`, `services`, `script /path`): unique. */
  readonly key: string;
  readonly preferred: string;
  /** Started left to right, stopped right to left. */
  readonly resources: readonly ResourcePlan[];
}

export type ResourcePlan =
  | {
      readonly kind: 'ipaddr';
      readonly address: string;
      /** Absent: from the route to the address. */
      readonly prefix?: number;
      /** Absent: the device that routes the address. */
      readonly device?: string;
      readonly arpCount: number;
      readonly arpIntervalMs: number;
    }
  | { readonly kind: 'services' }
  /** An LSB-style script run as `path args… start|stop|status`. */
  | { readonly kind: 'script'; readonly path: string; readonly args: readonly string[] };
