import type { Clock, Timer } from '../../platform/clock.ts';
import type { ProcessResult, ProcessRunner } from './process-runner.ts';

/**
 * Gratuitous ARP after an address takeover (seed-system.md §2.9 step 5), so that neighbours' caches move
 * to our MAC: `arping -U -c 1 -I DEV VIP`, `count` times, `intervalMs` apart, the first at once.
 *
 * Defaults 5 × 200 ms are IPaddr2's current `arp_count`/`arp_interval`. heartbeat 0.4.8 sent 5 frames 2 s
 * apart and the 2004 IPaddr 10 × 500 ms; those trains outlast our sub-second failover target, and one frame
 * already moves a cache entry, so the repeats are only insurance against a lost frame. `arping -U` sends an
 * unsolicited ARP request (sender = target = VIP) to the broadcast address, which Linux treats as a
 * gratuitous ARP and applies even inside the neighbour locktime.
 *
 * `arping -c 1` waits out its own 1 s interval before exiting, so each frame is started without awaiting
 * the process (the frame leaves at once); `settled()` lets tests wait for the processes.
 */
export interface ArpSettings {
  readonly count: number;
  readonly intervalMs: number;
}

export const DEFAULT_ARP: ArpSettings = { count: 5, intervalMs: 200 };

const ARPING_TIMEOUT_MS = 3000;

export function arpingArgv(device: string, address: string): string[] {
  return ['arping', '-U', '-c', '1', '-I', device, address];
}

export type ArpListener = (frame: number, result: ProcessResult) => void;

export class ArpAnnouncer {
  readonly #clock: Clock;
  readonly #runner: ProcessRunner;
  readonly #settings: ArpSettings;
  readonly #inFlight = new Set<Promise<void>>();
  #timer: Timer | undefined;
  #listener: ArpListener | undefined;

  constructor(
    clock: Clock,
    runner: ProcessRunner,
    settings: ArpSettings = DEFAULT_ARP,
    listener?: ArpListener,
  ) {
    this.#clock = clock;
    this.#runner = runner;
    this.#settings = settings;
    this.#listener = listener;
  }

  /** Start a train of `count` frames for `address` on `device`; a train already running is replaced. */
  announce(device: string, address: string): void {
    this.cancel();
    const argv = arpingArgv(device, address);
    let sent = 0;
    const send = () => {
      sent += 1;
      const frame = sent;
      const p = this.#runner
        .run(argv, { timeoutMs: ARPING_TIMEOUT_MS })
        .then((r) => this.#listener?.(frame, r))
        .finally(() => this.#inFlight.delete(p));
      this.#inFlight.add(p);
      if (sent < this.#settings.count) this.#timer = this.#clock.setTimeout(send, this.#settings.intervalMs);
      else this.#timer = undefined;
    };
    if (this.#settings.count > 0) send();
  }

  /** Stop the train: no further frames (those already sent are not recalled). */
  cancel(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** Whether frames are still due. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }

  /** Resolves when every started arping process has exited. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }
}
