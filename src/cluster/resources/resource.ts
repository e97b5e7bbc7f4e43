/**
 * One cluster resource (heartbeat's resource.d scripts, seed-system.md §2.7): something a group starts and
 * stops as a unit. Contract, shared by every kind:
 * - `start` and `stop` are idempotent: starting a running resource or stopping a stopped one succeeds and
 *   changes nothing.
 * - `status` reports what is there now, not what was last asked for.
 * - Expected failures are values (`ActionResult`), never exceptions.
 */
export type ResourceStatus = 'running' | 'stopped';

export type ActionResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const OK: ActionResult = { ok: true };

export function failed(reason: string): ActionResult {
  return { ok: false, reason };
}

export interface Resource {
  /** Stable name, e.g. `IPaddr::192.0.2.240/24/eth0`; the first resource's name is the group key. */
  readonly name: string;
  start(): Promise<ActionResult>;
  stop(): Promise<ActionResult>;
  status(): Promise<ResourceStatus>;
  /** Re-announce what this resource owns to the network (gratuitous ARP), if the kind has such a thing. */
  announce?(): void;
}
