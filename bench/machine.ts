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

/** The load average at one moment of a run (before, each round, after). */
export interface LoadPoint {
  readonly label: string;
  readonly at: string;
  /** 1, 5, 15 minute load averages. */
  readonly load: readonly number[];
}

export function loadPoint(
  label: string,
  now: Date = new Date(),
  load: readonly number[] = loadavg(),
): LoadPoint {
  return { label, at: now.toISOString(), load: roundLoad(load) };
}

/** A run counts as busy when the 1-minute load average went above half the CPUs at any recorded moment. */
export function busyThreshold(nproc: number): number {
  return nproc / 2;
}

/**
 * The verdict the report leads with: whether the machine was quiet enough for the figures to be judged,
 * from every recorded load point (the 1-minute average).
 */
export function loadVerdict(points: readonly LoadPoint[], nproc: number): { busy: boolean; text: string } {
  const l1 = points.map((p) => p.load[0] ?? 0);
  if (l1.length === 0)
    return { busy: true, text: 'load average not recorded: treat the figures as from a busy machine' };
  const lo = Math.min(...l1);
  const hi = Math.max(...l1);
  const range = lo === hi ? `${hi}` : `${lo}–${hi}`;
  const limit = busyThreshold(nproc);
  if (hi > limit)
    return {
      busy: true,
      text: `**Busy machine**: 1-minute load average ${range} during the run on ${nproc} CPUs (quiet means ≤ ${limit}). Other work shared the CPUs: absolute rates are depressed and noisy, ratios only indicative; do not judge targets on these figures.`,
    };
  return {
    busy: false,
    text: `Quiet machine: 1-minute load average ${range} during the run on ${nproc} CPUs (≤ ${limit} throughout).`,
  };
}

/** A note when the machine was already busy: absolute rates then say more about the load than the proxy. */
export function busyWarning(load: readonly number[], nproc: number): string | undefined {
  const l1 = load[0] ?? 0;
  if (l1 <= nproc / 2) return undefined;
  return `load average ${l1} on ${nproc} CPUs at the start: other work was running, rates are noisy (CPU per unit and ratios hold up better)`;
}
