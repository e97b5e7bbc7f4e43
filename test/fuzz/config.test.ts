import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { ClusterHost } from '../../src/config/cluster-host.ts';
import { formatDuration } from '../../src/config/duration.ts';
import { type ParseOptions, parseConfig } from '../../src/config/load.ts';
import { normalizeAddress } from '../../src/model/endpoint.ts';
import { SCHEDULER_NAMES } from '../../src/scheduler/scheduler.ts';
import { anyTextArb, assertIssues, check, mutatedArb } from './support.ts';

// Native config (src/config/load.ts parseConfig): never throws, every rejection is FILE:LINE:COL inside the
// file with a one-line message, and valid generated configs load with the values written.

/** A host with eth0, /dev/ttyS0 and one 0600 key file; every command executable; both families. */
const HOST: ClusterHost = {
  interfaceNames: () => ['lo', 'eth0'],
  pathExists: (p) => p === '/dev/ttyS0',
  fileMode: (p) => (p === '/etc/webfarm/key' ? 0o100600 : undefined),
  readFile: (p) => (p === '/etc/webfarm/key' ? 'secret\n' : undefined),
};
const OPTS: ParseOptions = { isExecutable: () => true, hostFamilies: new Set([4, 6]), clusterHost: HOST };
const FILE = 'fuzz.yaml';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), 'utf8');

const CLUSTER = `services:
  - address: 192.0.2.240
    port: 80
    check: { type: http, request: /health, receive: ok, interval: 2s }
    real_servers: [192.0.2.2:8080, { address: 192.0.2.3, port: 8080, weight: 3 }]
cluster:
  node: director1
  nodes: [director1, director2]
  media:
    - { type: bcast, device: eth0, port: 695 }
    - { type: serial, device: /dev/ttyS0, baud: 19200 }
  timing: { keepalive: 200ms, deadtime: 1s }
  auth: { method: sha1, key_file: /etc/webfarm/key }
  auto_failback: false
  resource_groups:
    - preferred: director1
      resources:
        - ipaddr: 192.0.2.240/24
        - services: true
`;

const real = fc.record({
  address: fc.ipV4(),
  port: fc.integer({ min: 1, max: 65535 }),
  weight: fc.integer({ min: 0, max: 65535 }),
  upper_threshold: fc.integer({ min: 0, max: 1000 }),
  forward: fc.constant('masq'),
});

const check_ = fc.oneof(
  fc.constant(undefined),
  fc.record({
    type: fc.constantFrom('connect', 'http', 'off', 'on', 'none'),
    interval: fc.integer({ min: 1, max: 600 }).map((s) => formatDuration(s * 1000)),
  }),
);

const service = fc.record(
  {
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
    protocol: fc.constantFrom('tcp', 'udp'),
    address: fc.oneof(fc.ipV4(), fc.ipV6()),
    port: fc.integer({ min: 1, max: 65535 }),
    scheduler: fc.constantFrom(...SCHEDULER_NAMES),
    persistence: fc.option(
      fc.record({
        timeout: fc.integer({ min: 1, max: 86_400 }).map((s) => formatDuration(s * 1000)),
      }),
      { nil: undefined },
    ),
    connect: fc.record({
      timeout: fc.integer({ min: 1, max: 60_000 }).map(formatDuration),
      retries: fc.integer({ min: 0, max: 5 }),
    }),
    proxy_protocol: fc.constantFrom('off', 'v1', 'v2'),
    check: check_,
    real_servers: fc.uniqueArray(real, { maxLength: 4, selector: (r) => `${r.address}:${r.port}` }),
  },
  { requiredKeys: ['address', 'port', 'protocol', 'real_servers'] },
);

const configArb = fc.record({
  timeouts: fc.record({ tcp: fc.integer({ min: 1, max: 100_000 }).map(formatDuration) }),
  services: fc.uniqueArray(service, {
    maxLength: 4,
    selector: (s) => `${s.protocol} ${normalizeAddress(s.address)} ${s.port}`,
  }),
});

/** Drop undefined members (YAML would write them as null) and UDP services' proxy_protocol/http checks. */
const clean = (c: fc.Arbitrary<unknown>) => c.map((x) => JSON.parse(JSON.stringify(x)) as Generated);
type Generated = {
  services: Array<Record<string, unknown> & { real_servers: Array<Record<string, unknown>> }>;
};
const generatedArb = clean(configArb).map((c) => {
  for (const [i, s] of c.services.entries()) {
    if (s.name !== undefined) s.name = `${s.name}-${i}`; // names are unique
    if (s.protocol === 'udp') {
      delete s.proxy_protocol;
      delete s.check;
    }
  }
  return c;
});

const validTextArb = fc.oneof(
  fc.constantFrom(fixture('valid-full.yaml'), CLUSTER),
  generatedArb.map((c) => stringify(c)),
  generatedArb.map((c) => stringify(c, { collectionStyle: 'flow' })),
);

function parseChecked(text: string): ReturnType<typeof parseConfig> {
  const r = parseConfig(text, FILE, OPTS);
  if (!r.ok) assertIssues(text, FILE, r.issues);
  return r;
}

test('fuzz config: the valid seeds load', () => {
  for (const text of [fixture('valid-full.yaml'), CLUSTER]) {
    const r = parseConfig(text, FILE, OPTS);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.issues));
  }
});

test('fuzz config: arbitrary text never throws; rejections are placed one-line issues', () => {
  check(fc.property(anyTextArb, (text) => void parseChecked(text)));
});

test('fuzz config: a valid file with a mutation never throws; rejections are placed one-line issues', () => {
  check(fc.property(mutatedArb(validTextArb, 'yaml'), (text) => void parseChecked(text)));
});

test('fuzz config: generated valid configs load with the values written', () => {
  check(
    fc.property(generatedArb, fc.boolean(), (c, flow) => {
      const text = stringify(c, flow ? { collectionStyle: 'flow' } : {});
      const r = parseConfig(text, FILE, OPTS);
      if (!r.ok)
        assert.fail(`${text}\n${r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`).join('\n')}`);
      assert.equal(r.config.services.length, c.services.length);
      c.services.forEach((s, i) => {
        const got = r.config.services[i];
        assert.ok(got);
        assert.equal(got.address, normalizeAddress(s.address as string));
        assert.equal(got.port, s.port);
        assert.equal(got.protocol, s.protocol);
        if (s.name !== undefined) assert.equal(got.name, s.name);
        if (s.scheduler !== undefined) assert.equal(got.scheduler, s.scheduler);
        assert.deepEqual(
          got.real_servers.map((x) => [x.address, x.port, x.weight, x.upper_threshold]),
          s.real_servers.map((x) => [x.address, x.port, x.weight, x.upper_threshold]),
        );
      });
    }),
  );
});

test('fuzz config: regressions found by the fuzzer stay fixed', () => {
  const cases: Array<[string, string, RegExp]> = [
    // yaml's linePos missed the line breaks inside an unlexable token: 2:5 on a line of length 1.
    ['YAML syntax error after an unlexable line', '\\ #\n(\n{a: }', /YAML syntax/],
    // A quoted value with a carriage return printed the CR raw, breaking the message's line.
    [
      'a CR in a quoted value',
      'services:\n  - address:\r 192.0.2.240\n    port: 80\n',
      /"\\r 192\.0\.2\.240"/,
    ],
  ];
  for (const [name, text, want] of cases) {
    const r = parseChecked(text);
    assert.ok(!r.ok, name);
    assert.ok(
      r.issues.some((i) => want.test(i.message)),
      `${name}: ${JSON.stringify(r.issues)}`,
    );
  }
});
