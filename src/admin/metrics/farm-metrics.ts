import type { DirectorSnapshot, RealServerSnapshot, ServiceSnapshot } from '../../director/snapshot.ts';
import type { Labels, MetricFamily, MetricType, Sample } from './exposition.ts';
import type { ProcessStats } from './process-stats.ts';

/**
 * What the director snapshot does not carry about a real server: proxy-engine counters and passive health.
 * Keyed by `realKey(serviceId, realId)`.
 */
export interface RealExtras {
  readonly connectFailures: number;
  readonly resets: number;
  readonly passiveEjected: boolean;
  /** Times passive health ejected the server since the director started (counted from engine events). */
  readonly passiveEjections: number;
}

export interface EngineStats {
  readonly tracked: number;
  readonly listening: number;
  readonly bufferedBytes: number;
}

export interface MetricsInput {
  readonly snapshot: DirectorSnapshot;
  readonly reals: ReadonlyMap<string, RealExtras>;
  readonly engine: EngineStats | undefined;
  readonly process: ProcessStats;
  readonly events: { readonly published: number; readonly subscribers: number };
}

export const realKey = (serviceId: string, realId: string): string => `${serviceId}/${realId}`;

const NO_EXTRAS: RealExtras = { connectFailures: 0, resets: 0, passiveEjected: false, passiveEjections: 0 };
const HEALTH_STATES = ['up', 'down', 'unknown'] as const;
const ADMIN_STATES = ['enabled', 'drain', 'maintenance'] as const;
const DIRECTIONS = ['in', 'out'] as const;

type Row<T> = readonly [Labels, T];

/** Every `webfarm_*` family (docs/metrics.md lists them). Pure: the same input gives the same text. */
export function farmMetrics(input: MetricsInput): MetricFamily[] {
  const svcs: Row<ServiceSnapshot>[] = input.snapshot.services.map((s) => [{ service: s.id }, s]);
  const reals: Row<{ r: RealServerSnapshot; x: RealExtras }>[] = input.snapshot.services.flatMap((s) =>
    s.reals.map((r) => [
      { service: s.id, real: r.id },
      { r, x: input.reals.get(realKey(s.id, r.id)) ?? NO_EXTRAS },
    ]),
  );
  return [
    ...serviceFamilies(svcs),
    ...realFamilies(reals),
    ...engineFamilies(input.engine),
    ...processFamilies(input.process),
    gauge('webfarm_event_subscribers', 'Clients connected to the event stream.', [
      [{}, input.events.subscribers],
    ]),
    counter('webfarm_events_published_total', 'Events published on the event stream.', [
      [{}, input.events.published],
    ]),
  ];
}

function serviceFamilies(rows: readonly Row<ServiceSnapshot>[]): MetricFamily[] {
  const sum = (s: ServiceSnapshot, f: (r: RealServerSnapshot) => number) =>
    s.reals.reduce((n, r) => n + f(r), 0);
  return [
    gauge(
      'webfarm_service_info',
      'Virtual service settings; always 1.',
      rows.map(([l, s]) => [{ ...l, name: s.name ?? '', protocol: s.protocol, scheduler: s.scheduler }, 1]),
    ),
    gauge(
      'webfarm_service_active_connections',
      'Established connections (sum over real servers).',
      map(rows, (s) => sum(s, (r) => r.activeConns)),
    ),
    gauge(
      'webfarm_service_inactive_connections',
      'Connections in other states (sum over real servers).',
      map(rows, (s) => sum(s, (r) => r.inactConns)),
    ),
    counter(
      'webfarm_service_connections_total',
      'Connections scheduled to the service (zeroed by ipvsadm -Z).',
      map(rows, (s) => s.stats.conns),
    ),
    counter(
      'webfarm_service_refused_connections_total',
      'New connections refused: no usable real server, or every connect attempt failed.',
      map(rows, (s) => s.refused),
    ),
    counter(
      'webfarm_service_packets_total',
      'Packets (proxy engine: reads) by direction; in = client to server.',
      byDirection(rows, (s, d) => (d === 'in' ? s.stats.inPkts : s.stats.outPkts)),
    ),
    counter(
      'webfarm_service_bytes_total',
      'Payload bytes by direction; in = client to server.',
      byDirection(rows, (s, d) => (d === 'in' ? s.stats.inBytes : s.stats.outBytes)),
    ),
    gauge(
      'webfarm_service_connections_per_second',
      'Estimated new connections per second (2 s estimator, as ipvsadm --rate).',
      map(rows, (s) => s.rates.cps),
    ),
    gauge(
      'webfarm_service_packets_per_second',
      'Estimated packets per second by direction.',
      byDirection(rows, (s, d) => (d === 'in' ? s.rates.inPps : s.rates.outPps)),
    ),
    gauge(
      'webfarm_service_bytes_per_second',
      'Estimated bytes per second by direction.',
      byDirection(rows, (s, d) => (d === 'in' ? s.rates.inBps : s.rates.outBps)),
    ),
  ];
}

type RealRow = Row<{ r: RealServerSnapshot; x: RealExtras }>;

function realFamilies(rows: readonly RealRow[]): MetricFamily[] {
  const r =
    <T>(f: (r: RealServerSnapshot, x: RealExtras) => T) =>
    (v: { r: RealServerSnapshot; x: RealExtras }) =>
      f(v.r, v.x);
  return [
    gauge(
      'webfarm_real_active_connections',
      'Established connections (ipvsadm ActiveConn).',
      map(
        rows,
        r((s) => s.activeConns),
      ),
    ),
    gauge(
      'webfarm_real_inactive_connections',
      'Connections in other states (ipvsadm InActConn).',
      map(
        rows,
        r((s) => s.inactConns),
      ),
    ),
    gauge(
      'webfarm_real_persistent_connections',
      'Persistence templates pointing at the server.',
      map(
        rows,
        r((s) => s.persistConns),
      ),
    ),
    counter(
      'webfarm_real_connections_total',
      'Scheduler decisions: connections scheduled to the server (zeroed by ipvsadm -Z).',
      map(
        rows,
        r((s) => s.stats.conns),
      ),
    ),
    counter(
      'webfarm_real_packets_total',
      'Packets by direction; in = client to server.',
      byDirection(rows, (v, d) => (d === 'in' ? v.r.stats.inPkts : v.r.stats.outPkts)),
    ),
    counter(
      'webfarm_real_bytes_total',
      'Payload bytes by direction; in = client to server.',
      byDirection(rows, (v, d) => (d === 'in' ? v.r.stats.inBytes : v.r.stats.outBytes)),
    ),
    gauge(
      'webfarm_real_connections_per_second',
      'Estimated new connections per second.',
      map(
        rows,
        r((s) => s.rates.cps),
      ),
    ),
    gauge(
      'webfarm_real_packets_per_second',
      'Estimated packets per second by direction.',
      byDirection(rows, (v, d) => (d === 'in' ? v.r.rates.inPps : v.r.rates.outPps)),
    ),
    gauge(
      'webfarm_real_bytes_per_second',
      'Estimated bytes per second by direction.',
      byDirection(rows, (v, d) => (d === 'in' ? v.r.rates.inBps : v.r.rates.outBps)),
    ),
    gauge(
      'webfarm_real_weight',
      'Weight the scheduler sees (0 while draining or quiesced).',
      map(
        rows,
        r((s) => s.weight),
      ),
    ),
    gauge(
      'webfarm_real_configured_weight',
      'Configured weight.',
      map(
        rows,
        r((s) => s.configuredWeight),
      ),
    ),
    gauge(
      'webfarm_real_health',
      'Health check state: 1 for the current state, 0 for the others.',
      oneOf(rows, 'state', HEALTH_STATES, (v) => v.r.health),
    ),
    gauge(
      'webfarm_real_admin_state',
      'Operator state: 1 for the current state, 0 for the others.',
      oneOf(rows, 'state', ADMIN_STATES, (v) => v.r.admin),
    ),
    gauge(
      'webfarm_real_usable',
      '1 when the server may receive new connections (thresholds aside).',
      map(
        rows,
        r((s) => Number(s.usable)),
      ),
    ),
    gauge(
      'webfarm_real_overloaded',
      '1 while the upper connection threshold holds the server out.',
      map(
        rows,
        r((s) => Number(s.overloaded)),
      ),
    ),
    counter(
      'webfarm_real_connect_failures_total',
      'Connect attempts refused or timed out (proxy engine).',
      map(
        rows,
        r((_, x) => x.connectFailures),
      ),
    ),
    counter(
      'webfarm_real_resets_total',
      'Resets from the server seen by the proxy engine.',
      map(
        rows,
        r((_, x) => x.resets),
      ),
    ),
    gauge(
      'webfarm_real_passive_ejected',
      '1 while passive health keeps the server out.',
      map(
        rows,
        r((_, x) => Number(x.passiveEjected)),
      ),
    ),
    counter(
      'webfarm_real_passive_ejections_total',
      'Times passive health ejected the server.',
      map(
        rows,
        r((_, x) => x.passiveEjections),
      ),
    ),
  ];
}

function engineFamilies(e: EngineStats | undefined): MetricFamily[] {
  if (!e) return [];
  return [
    gauge('webfarm_engine_sessions', 'Live TCP sessions and UDP flows of the proxy engine.', [
      [{}, e.tracked],
    ]),
    gauge('webfarm_engine_listeners', 'Services with a bound listener.', [[{}, e.listening]]),
    gauge('webfarm_engine_buffered_bytes', 'Bytes held in socket write buffers.', [[{}, e.bufferedBytes]]),
  ];
}

function processFamilies(p: ProcessStats): MetricFamily[] {
  const fds =
    p.openFds === undefined
      ? []
      : [gauge('webfarm_process_open_fds', 'Open file descriptors.', [[{}, p.openFds]])];
  return [
    counter('webfarm_process_cpu_seconds_total', 'User and system CPU time, seconds.', [[{}, p.cpuSeconds]]),
    gauge('webfarm_process_resident_memory_bytes', 'Resident set size, bytes.', [[{}, p.rssBytes]]),
    gauge('webfarm_process_heap_used_bytes', 'V8 heap in use, bytes.', [[{}, p.heapUsedBytes]]),
    gauge('webfarm_process_heap_total_bytes', 'V8 heap allocated, bytes.', [[{}, p.heapTotalBytes]]),
    ...fds,
    gauge('webfarm_process_start_time_seconds', 'Start time of the process, seconds since the Unix epoch.', [
      [{}, p.startTimeSeconds],
    ]),
    gauge(
      'webfarm_process_event_loop_lag_seconds',
      'Mean event loop delay since the previous scrape, seconds.',
      [[{}, p.eventLoopLagSeconds]],
    ),
    gauge(
      'webfarm_process_event_loop_lag_max_seconds',
      'Largest event loop delay since the previous scrape, seconds.',
      [[{}, p.eventLoopLagMaxSeconds]],
    ),
  ];
}

const family =
  (type: MetricType) =>
  (name: string, help: string, rows: readonly Row<number>[]): MetricFamily => ({
    name,
    help,
    type,
    samples: rows.map(([labels, value]): Sample => ({ labels, value })),
  });
const gauge = family('gauge');
const counter = family('counter');

function map<T>(rows: readonly Row<T>[], f: (v: T) => number): Row<number>[] {
  return rows.map(([l, v]) => [l, f(v)]);
}

function byDirection<T>(rows: readonly Row<T>[], f: (v: T, d: 'in' | 'out') => number): Row<number>[] {
  return rows.flatMap(([l, v]) => DIRECTIONS.map((d): Row<number> => [{ ...l, direction: d }, f(v, d)]));
}

function oneOf<T>(
  rows: readonly Row<T>[],
  label: string,
  states: readonly string[],
  f: (v: T) => string,
): Row<number>[] {
  return rows.flatMap(([l, v]) =>
    states.map((st): Row<number> => [{ ...l, [label]: st }, Number(f(v) === st)]),
  );
}
