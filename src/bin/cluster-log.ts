import type { TimedManagerEvent } from '../cluster/manager/manager.ts';
import { msgType } from '../cluster/message-fields.ts';
import type { ClusterEvent } from '../cluster/node/cluster-event.ts';
import type { LogFields, Logger } from '../platform/log.ts';

/**
 * One structured log line per cluster event (`cluster-<kind> field=value …`), from the heartbeat node
 * (membership, links, rejects, media) and from the resource manager (takes, gives, split brain, STONITH).
 * Fields are the event's own; `at` (a thread's monotonic clock) is left out, the line has its time.
 */
const NODE_WARN: ReadonlySet<string> = new Set([
  'peer-dead',
  'link-dead',
  'late-heartbeat',
  'stalled',
  'rejected',
  'medium-status',
]);
const MANAGER_ERROR: ReadonlySet<string> = new Set(['take-failed', 'give-failed', 'stonith-failed']);
const MANAGER_WARN: ReadonlySet<string> = new Set([
  'split-brain',
  'no-stonith',
  'command-refused',
  'stonith-cancelled',
]);

export function logClusterEvent(log: Logger, e: ClusterEvent): void {
  const fields = primitives(e);
  if (e.kind === 'message') fields.type = msgType(e.message);
  const level = NODE_WARN.has(e.kind) && !(e.kind === 'medium-status' && e.status === 'up') ? 'warn' : 'info';
  log[level](`cluster-${e.kind}`, fields);
}

export function logManagerEvent(log: Logger, e: TimedManagerEvent): void {
  const level = MANAGER_ERROR.has(e.kind) ? 'error' : MANAGER_WARN.has(e.kind) ? 'warn' : 'info';
  log[level](`cluster-${e.kind}`, primitives(e));
}

/** The event's string, number and boolean fields except kind and the thread-local `at`. */
function primitives(e: object): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'kind' || k === 'at') continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
