import { isIP } from 'node:net';
import type { Clock, Timer } from '../../platform/clock.ts';
import { type ProcessRunner, succeeded } from '../resources/process-runner.ts';

/**
 * Ping nodes (ha.cf `ping`, ipfail; seed-system.md §2.12). A PingProber answers "is this address reachable
 * now"; the default runs `ping -c 1 -W SECONDS -n ADDRESS` (iputils; exit 0 = an echo reply came back).
 * ICMP needs either the setuid/capability `ping` binary or raw sockets, which Node lacks without a native
 * addon, so the binary it is. `ping` is not part of every minimal image (Debian: iputils-ping).
 */
export interface PingProber {
  reachable(address: string): Promise<boolean>;
}

export function commandPingProber(runner: ProcessRunner, timeoutS = 1): PingProber {
  return {
    async reachable(address) {
      if (isIP(address) === 0) return false;
      const r = await runner.run(['ping', '-c', '1', '-W', String(timeoutS), '-n', address], {
        timeoutMs: (timeoutS + 2) * 1000,
      });
      return succeeded(r);
    },
  };
}

/**
 * Probes every ping node each `intervalMs` (rounds never overlap) and reports the count reached whenever it
 * changes — and once after the first round.
 */
export class PingCounter {
  readonly #clock: Clock;
  readonly #prober: PingProber;
  readonly #nodes: readonly string[];
  readonly #intervalMs: number;
  readonly #onCount: (count: number) => void;
  #timer: Timer | undefined;
  #last: number | undefined;
  #running = false;
  #round: Promise<void> = Promise.resolve();

  constructor(
    clock: Clock,
    prober: PingProber,
    nodes: readonly string[],
    intervalMs: number,
    onCount: (count: number) => void,
  ) {
    this.#clock = clock;
    this.#prober = prober;
    this.#nodes = nodes;
    this.#intervalMs = intervalMs;
    this.#onCount = onCount;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#round = this.#probe();
  }

  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** The round in progress (tests await it). */
  get round(): Promise<void> {
    return this.#round;
  }

  async #probe(): Promise<void> {
    const results = await Promise.all(this.#nodes.map((n) => this.#prober.reachable(n)));
    if (!this.#running) return;
    const count = results.filter(Boolean).length;
    if (count !== this.#last) {
      this.#last = count;
      this.#onCount(count);
    }
    this.#timer = this.#clock.setTimeout(() => {
      this.#round = this.#probe();
    }, this.#intervalMs);
  }
}
