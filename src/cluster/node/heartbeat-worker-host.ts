import { Worker } from 'node:worker_threads';
import { WebfarmError } from '../../model/errors.ts';
import type { Message } from '../message.ts';
import type { ClusterListener } from './cluster-event.ts';
import type { NodeSnapshot } from './heartbeat-node.ts';
import type { FromWorker, HeartbeatWorkerConfig, ToWorker } from './worker-protocol.ts';

const WORKER_URL = new URL('./heartbeat-worker.ts', import.meta.url).href;

/**
 * The worker is started from a tiny bootstrap that registers tsx inside it before importing the TypeScript
 * entry, so it loads whether the main thread runs under `node --import tsx` or bin/webfarm.js's register().
 */
function bootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); });`;
}

/**
 * The main thread's handle on a heartbeat node running in its own worker thread: ClusterEvents arrive over
 * the message port (subscribe with `on`), messages can be sent, snapshots asked for.
 */
export class HeartbeatWorker {
  readonly #worker: Worker;
  readonly #listeners = new Set<ClusterListener>();
  readonly #snapshots = new Map<number, (s: NodeSnapshot) => void>();
  #nextId = 1;
  #stopped: Promise<void> | undefined;
  /** Resolves with the exit code when the thread ends, for whatever reason. */
  readonly exited: Promise<number>;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('message', (m: FromWorker) => this.#message(m));
  }

  /** Start the worker; resolves once its media are open and it heartbeats, rejects with its error. */
  static start(config: HeartbeatWorkerConfig): Promise<HeartbeatWorker> {
    const worker = new Worker(bootstrap(), { eval: true, execArgv: [], workerData: config });
    const handle = new HeartbeatWorker(worker);
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') resolve(handle);
        if (m.type === 'error') reject(new WebfarmError(m.code ?? 'WF_ERR_CLUSTER_MEDIUM', m.message));
        if (m.type === 'ready' || m.type === 'error') worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      void handle.exited.then((code) =>
        reject(new Error(`heartbeat worker exited (${code}) before it was ready`)),
      );
    });
  }

  /**
   * Events are not buffered: subscribe right after `start()` resolves (in the same continuation). Events
   * posted after `ready` reach every listener attached by then.
   */
  on(listener: ClusterListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  send(message: Message): void {
    this.#post({ type: 'send', message });
  }

  snapshot(): Promise<NodeSnapshot> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#snapshots.set(id, resolve);
      this.#post({ type: 'snapshot', id });
    });
  }

  /** Close the media and end the thread (terminated if it does not stop within `graceMs`). */
  stop(graceMs = 5000): Promise<void> {
    this.#stopped ??= (async () => {
      this.#post({ type: 'stop' });
      const t = setTimeout(() => void this.#worker.terminate(), graceMs);
      await this.exited;
      clearTimeout(t);
    })();
    return this.#stopped;
  }

  #post(m: ToWorker): void {
    this.#worker.postMessage(m);
  }

  #message(m: FromWorker): void {
    if (m.type === 'event') for (const l of this.#listeners) l(m.event);
    else if (m.type === 'snapshot') {
      this.#snapshots.get(m.id)?.(m.snapshot);
      this.#snapshots.delete(m.id);
    }
  }
}
