import type { Director } from '../../director/director.ts';
import type { OutlierDetector } from '../../health/passive/outlier-detector.ts';
import type { Clock } from '../../platform/clock.ts';

/** A live TCP session or UDP flow the engine tracks for idle expiry and for stop(). */
export interface Tracked {
  /** Periodic coarse sweep: refresh `expiresMs` and close the entry when it has been idle too long. */
  sweep(nowMs: number): void;
  /** Bytes written by the proxy and not yet taken by the kernel (both sockets of a TCP session). */
  bufferedBytes(): number;
  /** Tear down at once (engine stop); resolves when its sockets are closed. */
  destroy(): Promise<void>;
}

/** What sessions and listeners need from the engine that owns them. */
export interface ProxyContext {
  readonly director: Director;
  readonly clock: Clock;
  /** Client bytes held while the real server connect is in progress (the client is paused above it). */
  readonly maxPendingBytes: number;
  /** Passive health: sessions report each real server's connect and reset outcomes here (absent = off). */
  readonly outcomes?: OutlierDetector;
  track(t: Tracked): void;
  untrack(t: Tracked): void;
}
