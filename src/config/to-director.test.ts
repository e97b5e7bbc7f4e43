import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDirector } from '../director/farm-plan.ts';
import { FakeClock } from '../platform/fake-clock.ts';
import { parseConfig } from './load.ts';
import { configSchema, nftSchema } from './schema.ts';
import { toDirector } from './to-director.ts';

function plan(text: string) {
  const r = parseConfig(text, 'f.yaml');
  if (!r.ok) assert.fail(r.issues.map((i) => i.message).join('\n'));
  return toDirector(r.config);
}

test('to-director: keys become specs, durations ms, real ports default to the service port', () => {
  const p = plan(
    [
      'timeouts: { tcp: 1h, tcpfin: 30s, udp: 500ms }',
      'admin: { socket: /tmp/wf.sock }',
      'services:',
      '  - name: web',
      '    address: 192.0.2.240',
      '    port: 80',
      '    scheduler: sh',
      '    scheduler_flags: [sh-port]',
      '    persistence: { timeout: 10m, netmask: 255.255.255.0 }',
      '    expire_quiescent_template: true',
      '    proxy_protocol: v2',
      '    connect: { timeout: 2s, retries: 0, redispatch: false }',
      '    real_servers:',
      '      - { address: 192.0.2.2, weight: 3, upper_threshold: 100, lower_threshold: 50, forward: masq }',
      '      - 192.0.2.3:8080',
      '',
    ].join('\n'),
  );
  assert.deepEqual(p, {
    engine: 'proxy',
    timeouts: { tcpMs: 3_600_000, tcpFinMs: 30_000, udpMs: 500 },
    admin: { socket: '/tmp/wf.sock' },
    services: [
      {
        spec: {
          name: 'web',
          protocol: 'tcp',
          address: '192.0.2.240',
          port: 80,
          scheduler: 'sh',
          flags: ['sh-port'],
          persistence: { timeoutMs: 600_000, prefix: 24 },
          expireQuiescentTemplate: true,
          onePacket: false,
          proxyProtocol: 'v2',
          connect: { timeoutMs: 2000, retries: 0, redispatch: false },
        },
        reals: [
          {
            address: '192.0.2.2',
            port: 80,
            weight: 3,
            upperThreshold: 100,
            lowerThreshold: 50,
            forward: 'masq',
          },
          {
            address: '192.0.2.3',
            port: 8080,
            weight: 1,
            upperThreshold: 0,
            lowerThreshold: 0,
            forward: 'masq',
          },
        ],
      },
    ],
    health: {
      global: { startUp: false, alerts: {} },
      services: [{ serviceId: 'tcp:192.0.2.240:80', downAction: 'remove' }],
    },
  });
});

test('to-director: defaults match the director defaults; persistence prefix per family', () => {
  const p = plan(
    [
      'services:',
      '  - { address: 192.0.2.240, port: 0, persistence: true }',
      '  - { address: "2001:db8::1", port: 53, protocol: udp, one_packet: true, persistence: { netmask: 64 } }',
      '',
    ].join('\n'),
  );
  assert.deepEqual(p.admin, {});
  assert.deepEqual(p.timeouts, { tcpMs: 900_000, tcpFinMs: 120_000, udpMs: 300_000 });
  const [v4, v6] = p.services.map((s) => s.spec);
  assert.equal(v4?.scheduler, 'wlc');
  assert.equal('name' in (v4 ?? {}), false);
  assert.deepEqual(v4?.persistence, { timeoutMs: 300_000, prefix: 32 });
  assert.deepEqual(v4?.connect, { timeoutMs: 5000, retries: 2, redispatch: true });
  assert.deepEqual(v6?.persistence, { timeoutMs: 300_000, prefix: 64 });
  assert.equal(v6?.onePacket, true);
  const noPersist = plan('services: [{ address: 192.0.2.1, port: 80 }]\n').services[0]?.spec;
  assert.equal(noPersist !== undefined && 'persistence' in noPersist, false);
});

test('to-director: a config load.ts would reject throws WF_ERR_CONFIG_INVALID', () => {
  const base = configSchema.parse({ services: [{ address: '192.0.2.1', port: 80 }] });
  const bad = [
    { ...base, nft: nftSchema.parse({}) },
    { ...base, services: [{ ...base.services[0]!, scheduler: 'nope' }] },
    { ...base, services: [{ ...base.services[0]!, scheduler_flags: ['x'] }] },
    { ...base, services: [{ ...base.services[0]!, persistence: { timeout: 1000, netmask: '255.0.255.0' } }] },
  ];
  for (const c of bad) assert.throws(() => toDirector(c), { code: 'WF_ERR_CONFIG_INVALID' });
});

test('to-director: the plan builds a director', () => {
  const p = plan(
    'services: [{ address: 192.0.2.240, port: 80, scheduler: rr, real_servers: [192.0.2.2, 192.0.2.3] }]\n',
  );
  const d = buildDirector(p, new FakeClock());
  const svc = d.services.get('tcp:192.0.2.240:80');
  assert.deepEqual(
    svc?.dests.map((r) => r.id),
    ['192.0.2.3:80', '192.0.2.2:80'],
  );
});

test('to-director: engine nft carries its settings; per-service masquerade overrides the section', () => {
  const svc = (port: number, extra = '') =>
    `  - { address: 192.0.2.240, port: ${port}, scheduler: rr, real_servers: [192.0.2.2]${extra} }`;
  const cases: Array<[string, string[], object | undefined]> = [
    ['proxy engine: no nft plan', ['services:', svc(80)], undefined],
    [
      'defaults',
      ['engine: nft', 'services:', svc(80)],
      { table: 'webfarm', numgen: 'inc', mhTableSize: 65521, statsIntervalMs: 2000, masquerade: [] },
    ],
    [
      'every setting; masquerade for all',
      [
        'engine: nft',
        'nft: { device: eth1, table: wf2, numgen: random, mh_table_size: 251, stats_interval: 0, masquerade: true }',
        'services:',
        svc(80),
        svc(81),
      ],
      {
        device: 'eth1',
        table: 'wf2',
        numgen: 'random',
        mhTableSize: 251,
        statsIntervalMs: 0,
        masquerade: true,
      },
    ],
    [
      'section default true, one service opts out',
      ['engine: nft', 'nft: { masquerade: true }', 'services:', svc(80), svc(81, ', masquerade: false')],
      {
        table: 'webfarm',
        numgen: 'inc',
        mhTableSize: 65521,
        statsIntervalMs: 2000,
        masquerade: ['tcp:192.0.2.240:80'],
      },
    ],
    [
      'one service opts in',
      ['engine: nft', 'services:', svc(80), svc(81, ', masquerade: true')],
      {
        table: 'webfarm',
        numgen: 'inc',
        mhTableSize: 65521,
        statsIntervalMs: 2000,
        masquerade: ['tcp:192.0.2.240:81'],
      },
    ],
  ];
  for (const [name, text, want] of cases) {
    const p = plan(`${text.join('\n')}\n`);
    assert.equal(p.engine, want === undefined ? 'proxy' : 'nft', name);
    assert.deepEqual(p.nft, want, name);
  }
});
