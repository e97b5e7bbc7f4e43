import { AsyncLocalStorage } from 'node:async_hooks';
import type { Cause } from './admin-event.ts';

/**
 * The cause of the director changes made inside `fn` (and anything it awaits): the admin API runs each
 * request under `{source: 'api'}`, a config reload should run under `{source: 'config'}`, the drain
 * workflow's own removals under `{source: 'drain'}`. director-watch.ts reads it when the director emits.
 */
const store = new AsyncLocalStorage<Cause>();

export function runWithCause<T>(cause: Cause, fn: () => T): T {
  return store.run(cause, fn);
}

export function currentCause(): Cause | undefined {
  return store.getStore();
}
