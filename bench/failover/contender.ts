import type { Node } from '../../test/system/support/cluster-farm.ts';

/** One failover system in the shared topology: webfarm's own cluster, or keepalived + webfarm's proxy. */
export interface Contender {
  readonly name: 'webfarm' | 'keepalived';
  /** Its timing, for the table ("keepalive 100 ms, deadtime 500 ms"). */
  readonly timing: string;
  /** Start everything it runs on one director; resolves once started. */
  start(node: Node): Promise<void>;
  /** Throws unless dira is the active side and dirb the ready standby (polled by the caller). */
  checkSteady(): Promise<void>;
  diagnostics(): string;
}
