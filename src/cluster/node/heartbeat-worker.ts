import { parentPort, workerData } from 'node:worker_threads';
import { isWebfarmError, WebfarmError } from '../../model/errors.ts';
import { systemClock } from '../../platform/clock.ts';
import { bumpGeneration } from '../generation.ts';
import type { Medium } from '../media/medium.ts';
import { openMedium } from '../media/medium-spec.ts';
import { HeartbeatNode } from './heartbeat-node.ts';
import type { FromWorker, HeartbeatWorkerConfig, ToWorker } from './worker-protocol.ts';

/**
 * Entry point of the membership worker thread (started by heartbeat-worker-host.ts): opens the media, runs a
 * HeartbeatNode on the real clock, and talks to the main thread over the message port only. Proxy traffic
 * on the main thread shares no event loop with it, so it cannot delay heartbeats or deaths.
 */

const port = parentPort;
if (port === null) throw new Error('heartbeat-worker.ts must run in a worker thread');
const post = (m: FromWorker) => port.postMessage(m);

async function main(config: HeartbeatWorkerConfig): Promise<void> {
  const generation = await resolveGeneration(config);
  const media = await openAll(config);
  const node = new HeartbeatNode({ ...config, generation }, { clock: systemClock, media });
  node.on((event) => post({ type: 'event', event }));
  port?.on('message', (m: ToWorker) => {
    if (m.type === 'send') node.send(m.message);
    else if (m.type === 'snapshot') post({ type: 'snapshot', id: m.id, snapshot: node.snapshot() });
    else if (m.type === 'stop') void node.close().then(() => stopped());
  });
  node.start();
  post({ type: 'ready', snapshot: node.snapshot() });
}

function stopped(): void {
  post({ type: 'stopped' });
  port?.close();
}

async function resolveGeneration(c: HeartbeatWorkerConfig): Promise<number> {
  if (c.generation !== undefined) return c.generation;
  if (c.generationFile !== undefined) return bumpGeneration(c.generationFile);
  throw new WebfarmError('WF_ERR_CLUSTER_GENERATION', 'neither generation nor generationFile given');
}

async function openAll(c: HeartbeatWorkerConfig): Promise<Medium[]> {
  const media: Medium[] = [];
  try {
    for (const spec of c.media) media.push(await openMedium(spec));
  } catch (e) {
    await Promise.all(media.map((m) => m.close()));
    throw e;
  }
  return media;
}

main(workerData as HeartbeatWorkerConfig).catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  post(isWebfarmError(e) ? { type: 'error', message, code: e.code } : { type: 'error', message });
  port.close();
});
