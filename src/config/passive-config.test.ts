import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIssue } from './issue.ts';
import { parseConfig } from './load.ts';
import { toDirector } from './to-director.ts';

const base = (extra: string, protocol = 'tcp') =>
  [
    'services:',
    `  - protocol: ${protocol}`,
    '    address: 192.0.2.240',
    '    port: 80',
    '    real_servers: ["192.0.2.2"]',
    extra,
  ].join('\n');

test('passive_health: absent = off, true = defaults, keys map to the spec in ms', () => {
  const off = parseConfig(base(''), 'f.yaml');
  assert.ok(off.ok);
  assert.equal(toDirector(off.config).services[0]?.spec.passive, undefined);
  const on = parseConfig(base('    passive_health: true'), 'f.yaml');
  assert.ok(on.ok);
  assert.deepEqual(toDirector(on.config).services[0]?.spec.passive, {
    consecutiveFailures: 5,
    baseEjectionMs: 30_000,
    maxEjectionMs: 300_000,
    maxEjectionPercent: 50,
  });
  const custom = parseConfig(
    base(
      '    passive_health: { consecutive_failures: 3, base_ejection_time: 10s, max_ejection_time: 1m, max_ejection_percent: 34 }',
    ),
    'f.yaml',
  );
  assert.ok(custom.ok);
  assert.deepEqual(toDirector(custom.config).services[0]?.spec.passive, {
    consecutiveFailures: 3,
    baseEjectionMs: 10_000,
    maxEjectionMs: 60_000,
    maxEjectionPercent: 34,
  });
});

test('passive_health: bad values and UDP services are errors with positions', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['    passive_health: { consecutive_failures: 0 }', 'tcp', /^f\.yaml:6:\d+: .*consecutive_failures/],
    ['    passive_health: { max_ejection_percent: 101 }', 'tcp', /^f\.yaml:6:\d+: .*max_ejection_percent/],
    [
      '    passive_health: { base_ejection_time: 1m, max_ejection_time: 10s }',
      'tcp',
      /^f\.yaml:6:\d+: .*max_ejection_time must be at least base_ejection_time/,
    ],
    ['    passive_health: { ejection: 1 }', 'tcp', /^f\.yaml:6:\d+: .*ejection/],
    [
      '    passive_health: true',
      'udp',
      /^f\.yaml:6:\d+: services\[0\]\.passive_health: .*only valid with protocol tcp/,
    ],
  ];
  for (const [line, protocol, expected] of cases) {
    const r = parseConfig(base(line, protocol), 'f.yaml');
    assert.equal(r.ok, false, line);
    if (!r.ok) assert.match(formatIssue(r.issues[0]!), expected, line);
  }
});
