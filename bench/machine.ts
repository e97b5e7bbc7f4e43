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

/** Quiet before the run: the 1-minute load average at the start at most half the CPUs. */
export function busyThreshold(nproc: number): number {
  return nproc / 2;
}

/**
 * During the run the benchmark itself keeps about `nproc` threads runnable (load generator, server, the
 * path under test), so the load average then says little about other work: only more than `nproc + 1`
 * shows someone else on the CPUs.
 */
export function busyDuringThreshold(nproc: number): number {
  return nproc + 1;
}

/**
 * The verdict the report leads with: whether the machine was quiet enough for the figures to be judged —
 * quiet at the start (the first point ≤ busyThreshold) and nobody else running during the run (every point
 * ≤ busyDuringThreshold); 1-minute averages.
 */
export function loadVerdict(points: readonly LoadPoint[], nproc: number): { busy: boolean; text: string } {
  const l1 = points.map((p) => p.load[0] ?? 0);
  const first = l1[0];
  if (first === undefined)
    return { busy: true, text: 'load average not recorded: treat the figures as from a busy machine' };
  const lo = Math.min(...l1);
  const hi = Math.max(...l1);
  const range = lo === hi ? `${hi}` : `${lo}–${hi}`;
  const before = busyThreshold(nproc);
  const during = busyDuringThreshold(nproc);
  const rule = `quiet means ≤ ${before} at the start and ≤ ${during} throughout: the benchmark alone keeps about ${nproc} threads runnable`;
  if (first > before || hi > during)
    return {
      busy: true,
      text: `**Busy machine**: 1-minute load average ${first} at the start, ${range} during the run on ${nproc} CPUs (${rule}). Other work shared the CPUs: absolute rates are depressed and noisy, ratios only indicative; do not judge targets on these figures.`,
    };
  return {
    busy: false,
    text: `Quiet machine: 1-minute load average ${first} at the start, ${range} during the run on ${nproc} CPUs (${rule}).`,
  };
}

/** A note when the machine was already busy: absolute rates then say more about the load than the proxy. */
export function busyWarning(load: readonly number[], nproc: number): string | undefined {
  const l1 = load[0] ?? 0;
  if (l1 <= nproc / 2) return undefined;
  return `load average ${l1} on ${nproc} CPUs at the start: other work was running, rates are noisy (CPU per unit and ratios hold up better)`;
}
