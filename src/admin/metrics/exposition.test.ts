import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Director } from '../../director/director.ts';
import { snapshotDirector } from '../../director/snapshot.ts';
import { realSpec, svcSpec } from '../../director/test-support.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { parseExposition } from './exposition-parse.ts';
import { type MetricFamily, formatExposition } from './exposition.ts';
import { type MetricsInput, farmMetrics, realKey } from './farm-metrics.ts';
import type { ProcessStats } from './process-stats.ts';

const fam = (labels: Record<string, string>, value: number, help = 'h'): MetricFamily => ({
  name: 'webfarm_x',
  help,
  type: 'gauge',
  samples: [{ labels, value }],
});

test('format: HELP/TYPE before samples, label and help escaping, special values', () => {
  const cases: Array<[MetricFamily, string]> = [
    [fam({}, 1), '# HELP webfarm_x h\n# TYPE webfarm_x gauge\nwebfarm_x 1\n'],
    [fam({ a: 'b' }, 0.5), '# HELP webfarm_x h\n# TYPE webfarm_x gauge\nwebfarm_x{a="b"} 0.5\n'],
    [fam({ a: 'q"\\\n' }, 2), '# HELP webfarm_x h\n# TYPE webfarm_x gauge\nwebfarm_x{a="q\\"\\\\\\n"} 2\n'],
    [
      fam({}, Number.NaN, 'two\nlines \\'),
      '# HELP webfarm_x two\\nlines \\\\\n# TYPE webfarm_x gauge\nwebfarm_x NaN\n',
    ],
    [
      fam({ a: 'x', b: 'y' }, Number.POSITIVE_INFINITY),
      '# HELP webfarm_x h\n# TYPE webfarm_x gauge\nwebfarm_x{a="x",b="y"} +Inf\n',
    ],
  ];
  for (const [f, want] of cases) assert.equal(formatExposition([f]), want);
});

test('format: invalid metric and label names are refused', () => {
  assert.throws(() => formatExposition([{ ...fam({}, 1), name: '9bad' }]), /invalid metric name/);
  assert.throws(() => formatExposition([fam({ 'a-b': 'x' }, 1)]), /invalid label name/);
  assert.throws(() => formatExposition([fam({ __reserved: 'x' }, 1)]), /invalid label name/);
});

test('parse: rejects what Prometheus rejects', () => {
  const bad = [
    'webfarm_x 1\n',
    '# TYPE webfarm_x gauge\nwebfarm_x{a="\\q"} 1\n',
    '# TYPE webfarm_x gauge\nwebfarm_x 1\nwebfarm_x 2\n',
    '# TYPE webfarm_x gauge\nwebfarm_x one\n',
    '# TYPE webfarm_x gauge\n# TYPE webfarm_x gauge\n',
    '# TYPE webfarm_x gauge\nwebfarm_x 1',
  ];
  for (const text of bad) assert.throws(() => parseExposition(text), text);
});

test('property: any label value and finite value survive format → parse', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.double({ noNaN: true }), (a, help, v) => {
      const parsed = parseExposition(formatExposition([fam({ svc: a }, v, help)]));
      const f = parsed.get('webfarm_x');
      assert.equal(f?.help, help);
      assert.deepEqual(f?.samples, [{ name: 'webfarm_x', labels: { svc: a }, value: v }]);
    }),
  );
});

const PROC: ProcessStats = {
  cpuSeconds: 1.25,
  rssBytes: 1000,
  heapUsedBytes: 10,
  heapTotalBytes: 20,
  openFds: 7,
  startTimeSeconds: 1_700_000_000,
  eventLoopLagSeconds: 0.001,
  eventLoopLagMaxSeconds: 0.01,
};

function input(): MetricsInput {
  const d = new Director(new FakeClock());
  const svc = d.addService(svcSpec({ name: 'web "front"' }), [realSpec(1), realSpec(2, { weight: 3 })]);
  const [r2, r1] = svc.dests as [(typeof svc.dests)[0], (typeof svc.dests)[0]];
  r1.stats.conns = 5;
  r1.stats.inBytes = 100;
  r1.stats.outBytes = 2000;
  r1.activeConns = 2;
  r1.inactConns = 1;
  r1.health = 'up';
  r2.admin = 'drain';
  svc.refused = 4;
  svc.stats.conns = 5;
  return {
    snapshot: snapshotDirector(d),
    reals: new Map([
      [realKey(svc.id, r1.id), { connectFailures: 3, resets: 2, passiveEjected: true, passiveEjections: 1 }],
    ]),
    engine: { tracked: 3, listening: 1, bufferedBytes: 0 },
    process: PROC,
    events: { published: 9, subscribers: 1 },
  };
}

test('farm metrics parse back to the snapshot numbers, one series per label set', () => {
  const fams = parseExposition(formatExposition(farmMetrics(input())));
  const value = (name: string, labels: Record<string, string>) => {
    const f = fams.get(name);
    assert.ok(f, `family ${name}`);
    const s = f.samples.find((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v));
    assert.ok(s, `${name} ${JSON.stringify(labels)}`);
    return s.value;
  };
  const svc = 'tcp:192.0.2.240:80';
  const r1 = { service: svc, real: '198.51.100.1:80' };
  const r2 = { service: svc, real: '198.51.100.2:80' };
  const rows: Array<[string, Record<string, string>, number]> = [
    ['webfarm_service_info', { service: svc, name: 'web "front"', scheduler: 'rr' }, 1],
    ['webfarm_service_refused_connections_total', { service: svc }, 4],
    ['webfarm_service_active_connections', { service: svc }, 2],
    ['webfarm_real_connections_total', r1, 5],
    ['webfarm_real_active_connections', r1, 2],
    ['webfarm_real_inactive_connections', r1, 1],
    ['webfarm_real_bytes_total', { ...r1, direction: 'in' }, 100],
    ['webfarm_real_bytes_total', { ...r1, direction: 'out' }, 2000],
    ['webfarm_real_health', { ...r1, state: 'up' }, 1],
    ['webfarm_real_health', { ...r1, state: 'unknown' }, 0],
    ['webfarm_real_health', { ...r2, state: 'unknown' }, 1],
    ['webfarm_real_admin_state', { ...r2, state: 'drain' }, 1],
    ['webfarm_real_weight', r2, 0],
    ['webfarm_real_configured_weight', r2, 3],
    ['webfarm_real_connect_failures_total', r1, 3],
    ['webfarm_real_resets_total', r1, 2],
    ['webfarm_real_passive_ejected', r1, 1],
    ['webfarm_real_passive_ejections_total', r1, 1],
    ['webfarm_real_passive_ejections_total', r2, 0],
    ['webfarm_engine_sessions', {}, 3],
    ['webfarm_process_cpu_seconds_total', {}, 1.25],
    ['webfarm_process_open_fds', {}, 7],
    ['webfarm_events_published_total', {}, 9],
  ];
  for (const [name, labels, want] of rows)
    assert.equal(value(name, labels), want, `${name} ${JSON.stringify(labels)}`);
  for (const f of fams.values()) {
    assert.match(f.name, /^webfarm_/);
    assert.notEqual(f.help, '', `${f.name} has HELP`);
    if (f.type === 'counter') assert.match(f.name, /_total$/, `${f.name}: counters end in _total`);
  }
});
