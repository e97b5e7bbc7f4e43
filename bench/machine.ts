import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { run } from './exec.ts';

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  /** 1, 5, 15 minute load averages when the run started. */
  readonly loadBefore: readonly number[];
  /** Versions of the tools, first line of each `--version`-like output. */
  readonly tools: Record<string, string>;
}

const TOOL_VERSION: Record<string, string[]> = {
  haproxy: ['haproxy', '-v'],
  nginx: ['nginx', '-v'],
  wrk: ['wrk', '-v'],
  iperf3: ['iperf3', '-v'],
};

export async function machineInfo(): Promise<MachineInfo> {
  const tools: Record<string, string> = {};
  for (const [name, argv] of Object.entries(TOOL_VERSION)) {
    const r = await run(argv, 5000).catch(() => undefined);
    tools[name] = r?.out.trim().split('\n')[0]?.trim() ?? 'not found';
  }
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    kernel: release(),
    node: process.version,
    loadBefore: roundLoad(loadavg()),
    tools,
  };
}

export function roundLoad(l: readonly number[]): number[] {
  return l.map((x) => Math.round(x * 100) / 100);
}

/** A note when the machine was already busy: absolute rates then say more about the load than the proxy. */
export function busyWarning(load: readonly number[], nproc: number): string | undefined {
  const l1 = load[0] ?? 0;
  if (l1 <= nproc / 2) return undefined;
  return `load average ${l1} on ${nproc} CPUs at the start: other work was running, rates are noisy (CPU per unit and ratios hold up better)`;
}
