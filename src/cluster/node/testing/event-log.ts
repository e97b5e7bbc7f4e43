import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import type { AuthKeys } from '../../auth.ts';
import type { ClusterEvent } from '../cluster-event.ts';

/** Test support: every ClusterEvent seen, and bounded waits for the first one matching a predicate. */
export class EventLog {
  readonly events: ClusterEvent[] = [];
  readonly #waiters: { pred: (e: ClusterEvent) => boolean; resolve: (e: ClusterEvent) => void }[] = [];

  readonly push = (e: ClusterEvent): void => {
    this.events.push(e);
    for (const w of [...this.#waiters]) {
      if (!w.pred(e)) continue;
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve(e);
    }
  };

  /** The first event (already seen, or still to come) matching `pred`; rejects after `ms` naming `what`. */
  waitFor(pred: (e: ClusterEvent) => boolean, what: string, ms = 5000): Promise<ClusterEvent> {
    const seen = this.events.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      this.#waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(t);
          resolve(e);
        },
      });
    });
  }

  kinds(peer?: string): string[] {
    return this.events
      .filter((e) => peer === undefined || ('peer' in e && e.peer === peer))
      .map((e) => e.kind);
  }
}

export const is =
  (kind: ClusterEvent['kind'], extra: Record<string, unknown> = {}) =>
  (e: ClusterEvent): boolean =>
    e.kind === kind && Object.entries(extra).every(([k, v]) => (e as Record<string, unknown>)[k] === v);

export const TEST_KEYS: AuthKeys = {
  sendId: 1,
  keys: new Map([[1, { id: 1, method: 'sha256', key: 'test secret' }]]),
};

/** UDP ports free right now on 127.0.0.1 (bound on port 0, read, released). */
export async function reserveUdpPorts(n: number): Promise<number[]> {
  const sockets = [];
  for (let i = 0; i < n; i++) {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1');
    await once(s, 'listening');
    sockets.push(s);
  }
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}
