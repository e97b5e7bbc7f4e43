import type { ErrorCode } from '../../model/errors.ts';
import type { MediumSpec } from '../media/medium-spec.ts';
import type { Message } from '../message.ts';
import type { ClusterEvent } from './cluster-event.ts';
import type { HeartbeatNodeConfig, NodeSnapshot } from './heartbeat-node.ts';

/** The heartbeat worker's configuration (its workerData): plain data, media as specs opened in the worker. */
export interface HeartbeatWorkerConfig extends Omit<HeartbeatNodeConfig, 'generation'> {
  readonly media: readonly MediumSpec[];
  /** This run's generation; or give `generationFile` and the worker bumps it on disk at start. */
  readonly generation?: number;
  readonly generationFile?: string;
}

/** Main thread → worker. */
export type ToWorker =
  | { readonly type: 'send'; readonly message: Message }
  | { readonly type: 'snapshot'; readonly id: number }
  | { readonly type: 'stop' };

/** Worker → main thread. */
export type FromWorker =
  | { readonly type: 'ready'; readonly snapshot: NodeSnapshot }
  | { readonly type: 'event'; readonly event: ClusterEvent }
  | { readonly type: 'snapshot'; readonly id: number; readonly snapshot: NodeSnapshot }
  | { readonly type: 'stopped' }
  | { readonly type: 'error'; readonly message: string; readonly code?: ErrorCode };
