/** One measurement of one path in one round. */
export interface Sample {
  /** The measured rate or size, in the unit of its measure (see MEASURE_INFO). */
  readonly value: number;
  /** CPU of the process under test per unit of work (see MEASURE_INFO), when measured. */
  readonly cpu?: number;
  /** Errors the load generator reported. */
  readonly errors?: number;
  /** 99th percentile request latency, ms (HTTP measures). */
  readonly p99Ms?: number;
}

/** CPU seconds `pid` used while `work` ran, with the work's result. */
export async function withCpu<T>(
  pid: number | undefined,
  cpuSeconds: (pid: number) => number,
  work: () => Promise<T>,
): Promise<{ result: T; cpuS: number | undefined }> {
  const c0 = pid === undefined ? undefined : cpuSeconds(pid);
  const result = await work();
  const cpuS = pid === undefined || c0 === undefined ? undefined : cpuSeconds(pid) - c0;
  return { result, cpuS };
}
