import { readdirSync } from 'node:fs';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** Process figures for /metrics. Units as the metric names say: seconds and bytes. */
export interface ProcessStats {
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  /** Absent where /proc/self/fd cannot be read (not Linux). */
  readonly openFds: number | undefined;
  readonly startTimeSeconds: number;
  readonly eventLoopLagSeconds: number;
  readonly eventLoopLagMaxSeconds: number;
}

/**
 * Reads the process figures (the I/O half of the metrics; farm-metrics.ts is the pure half). Event loop
 * delay comes from a perf_hooks histogram sampled every 20 ms and reset at each read, so the lag figures
 * cover the time since the previous scrape. `stop()` ends the sampling.
 */
export class ProcessSampler {
  readonly #histogram: IntervalHistogram;
  readonly #startTimeSeconds: number;

  constructor() {
    this.#histogram = monitorEventLoopDelay({ resolution: 20 });
    this.#histogram.enable();
    this.#startTimeSeconds = Math.round(Date.now() / 1000 - process.uptime());
  }

  read(): ProcessStats {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const h = this.#histogram;
    // The histogram reports nanoseconds; NaN before its first sample.
    const mean = Number.isFinite(h.mean) ? h.mean / 1e9 : 0;
    const max = h.count > 0 ? h.max / 1e9 : 0;
    h.reset();
    return {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      openFds: countFds(),
      startTimeSeconds: this.#startTimeSeconds,
      eventLoopLagSeconds: mean,
      eventLoopLagMaxSeconds: max,
    };
  }

  stop(): void {
    this.#histogram.disable();
  }
}

function countFds(): number | undefined {
  try {
    // The listing itself opens one descriptor for the directory.
    return Math.max(0, readdirSync('/proc/self/fd').length - 1);
  } catch {
    return undefined;
  }
}
