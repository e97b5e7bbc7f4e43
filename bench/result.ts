import type { BenchOptions, Measure, PathName, TrafficMeasure } from './args.ts';
import type { ControlRow, MaglevTiming } from './control.ts';
import type { LoadPoint, MachineInfo } from './machine.ts';
import type { Sample } from './sample.ts';

/** All samples of one path for one measure, or why it was not measured. */
export interface Series {
  readonly samples: Sample[];
  skipped?: string;
}

/** What one `npm run bench` produced; written as JSON to .bench/. */
export interface BenchResult {
  readonly startedAt: string;
  finishedAt: string;
  readonly options: BenchOptions;
  readonly machine: MachineInfo;
  loadAfter: readonly number[];
  /** Load average before the run, at the start of every round and phase, and after (older results: absent). */
  readonly loads?: LoadPoint[];
  /** measure → path → series. */
  readonly series: Partial<Record<TrafficMeasure, Partial<Record<PathName, Series>>>>;
  /** The nft engine's control plane (`--only control`). */
  control?: { rows: ControlRow[]; maglev: MaglevTiming[] };
  /** Example argv of each measurement, as run. */
  readonly commands: Partial<Record<Measure, string>>;
  readonly notes: string[];
}

export interface MeasureInfo {
  readonly title: string;
  readonly unit: string;
  /** What `Sample.cpu` means for this measure. */
  readonly cpuUnit: string;
  readonly higherIsBetter: boolean;
}

export const MEASURE_INFO: Record<TrafficMeasure, MeasureInfo> = {
  keepalive: { title: 'HTTP keep-alive', unit: 'req/s', cpuUnit: 'µs/req', higherIsBetter: true },
  close: { title: 'HTTP connection per request', unit: 'req/s', cpuUnit: 'µs/req', higherIsBetter: true },
  throughput: { title: 'single TCP stream', unit: 'Gbit/s', cpuUnit: 'CPU s/GB', higherIsBetter: true },
  udp: {
    title: 'UDP echo, 64 B, 32 in flight',
    unit: 'datagrams/s',
    cpuUnit: 'µs/datagram',
    higherIsBetter: true,
  },
  idle: { title: 'RSS per 10,000 idle TCP connections', unit: 'MiB', cpuUnit: '', higherIsBetter: false },
};

export function seriesOf(r: BenchResult, m: TrafficMeasure, p: PathName): Series {
  let bm = r.series[m];
  if (!bm) {
    bm = {};
    r.series[m] = bm;
  }
  let s = bm[p];
  if (!s) {
    s = { samples: [] };
    bm[p] = s;
  }
  return s;
}
