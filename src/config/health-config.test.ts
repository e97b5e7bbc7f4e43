import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProbeFactory } from '../health/probe.ts';
import { checkHealth } from './health-semantic.ts';
import { formatIssue } from './issue.ts';
import { parseConfig } from './load.ts';
import { indexService } from './semantic.ts';
import { toDirector } from './to-director.ts';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
/** Only /bin/true-like names exist in these tests. */
const isExecutable = (cmd: string) => cmd === '/usr/bin/true' || cmd === 'notify-ops';

function parse(text: string) {
  return parseConfig(text, 'f.yaml', { isExecutable });
}

function errors(text: string): string[] {
  const r = parse(text);
  return r.ok ? [] : r.issues.map(formatIssue);
}

const service = (...extra: string[]) =>
  lines(
    'services:',
    '  - address: 192.0.2.240',
    '    port: 80',
    '    real_servers: [192.0.2.2, 192.0.2.3:8080]',
    ...extra.map((l) => `    ${l}`),
  );

test('health config: defaults (webfarm timing), fallback port from the service, argv from a path', () => {
  const r = parse(
    service(
      'check: { type: connect }',
      'quiescent: true',
      'fallback: 127.0.0.1',
      'fallback_command: /usr/bin/true',
    ) +
      lines(
        'health: { state_file: /tmp/s.json, alerts: { webhook: "http://127.0.0.1:9/hook", command: [notify-ops, -q] } }',
      ),
  );
  assert.ok(r.ok, r.ok ? '' : r.issues.map(formatIssue).join('\n'));
  assert.deepEqual(toDirector(r.config).health, {
    global: {
      stateFile: '/tmp/s.json',
      startUp: false,
      alerts: { webhook: { url: 'http://127.0.0.1:9/hook', timeoutMs: 2000 }, command: ['notify-ops', '-q'] },
    },
    services: [
      {
        serviceId: 'tcp:192.0.2.240:80',
        check: { type: 'connect', intervalMs: 300, timeoutMs: 300, fall: 2, rise: 2, settings: {} },
        downAction: 'quiesce',
        fallback: { address: '127.0.0.1', port: 80 },
        fallbackCommand: ['/usr/bin/true'],
      },
    ],
  });
});

const timing: Array<
  [string, string[], { intervalMs: number; timeoutMs: number; fall: number; rise: number }]
> = [
  [
    'ldirectord defaults, connect: checktimeout 5 s',
    ['check: { type: connect }'],
    { intervalMs: 10_000, timeoutMs: 5000, fall: 1, rise: 1 },
  ],
  [
    'ldirectord defaults, http: negotiatetimeout 30 s',
    ['check: { type: http }'],
    { intervalMs: 10_000, timeoutMs: 30_000, fall: 1, rise: 1 },
  ],
  [
    'timeout only: connect uses it',
    ['check: { type: connect, timeout: 2s, interval: 3s, failure_count: 4, rise: 3 }'],
    { intervalMs: 3000, timeoutMs: 2000, fall: 4, rise: 3 },
  ],
  [
    'negotiate_timeout only: a connect check falls back to it (as ldirectord)',
    ['check: { type: connect, negotiate_timeout: 7s }'],
    { intervalMs: 10_000, timeoutMs: 7000, fall: 1, rise: 1 },
  ],
];

for (const [name, extra, want] of timing) {
  test(`health config timing: ${name}`, () => {
    const r = parse(service(...extra) + lines('health: { ldirectord_defaults: true }'));
    assert.ok(r.ok, r.ok ? '' : r.issues.map(formatIssue).join('\n'));
    const c = toDirector(r.config).health?.services[0]?.check;
    assert.deepEqual(
      c && { intervalMs: c.intervalMs, timeoutMs: c.timeoutMs, fall: c.fall, rise: c.rise },
      want,
    );
  });
}

const bad: Array<[string, string, string[]]> = [
  [
    'unknown type, with a suggestion',
    service('check: { type: conect }'),
    ['f.yaml:5:20: services[0].check.type: unknown check type "conect" (did you mean "connect"?)'],
  ],
  [
    'invalid receive regex',
    service('check:', '  type: on', '  receive: "ok("'),
    [
      'f.yaml:7:16: services[0].check.receive: invalid regular expression: /ok(/: Unterminated group',
      'f.yaml:7:16: services[0].check.receive: on checks do not use it',
    ],
  ],
  [
    'external without a command',
    service('check: { type: external }'),
    ['f.yaml:5:12: services[0].check: command: required by the external check'],
  ],
  [
    'a command that is not executable',
    service('fallback_command: /nonexistent/fb'),
    ['f.yaml:5:23: services[0].fallback_command: "/nonexistent/fb" is not an executable file'],
  ],
  [
    'an alert command not on PATH',
    service() + lines('health: { alerts: { command: no-such-notifier } }'),
    ['f.yaml:5:30: health.alerts.command: "no-such-notifier" is not an executable file on PATH'],
  ],
  [
    'fall and failure_count both',
    service('check: { type: connect, fall: 2, failure_count: 3 }'),
    ['f.yaml:5:53: services[0].check.failure_count: give fall or failure_count'],
  ],
  [
    'settings the probe does not use (probe validate)',
    service('check: { type: connect, request: /x }'),
    ['f.yaml:5:38: services[0].check.request: connect checks do not use it'],
  ],
  [
    'connect on a UDP service (probe validate)',
    lines(
      'services:',
      '  - { protocol: udp, address: 192.0.2.240, port: 53, real_servers: [192.0.2.2], check: { type: connect } }',
    ),
    ['f.yaml:2:96: services[0].check.type: connect checks TCP only'],
  ],
  [
    'fallback that is also a real',
    service('fallback: 192.0.2.3:8080'),
    ['f.yaml:5:15: services[0].fallback: 192.0.2.3:8080 is also a real server'],
  ],
  [
    'fallback not an address',
    service('fallback: nowhere'),
    ['f.yaml:5:15: services[0].fallback: "nowhere" is not ADDRESS or ADDRESS:PORT'],
  ],
  [
    'webhook not a URL',
    service() + lines('health: { alerts: { webhook: "ftp://x" } }'),
    ['f.yaml:5:30: health.alerts.webhook.url: "ftp://x" is not an http:// or https:// URL'],
  ],
];

for (const [name, text, want] of bad) {
  test(`health config error: ${name}`, () => {
    const got = errors(text);
    assert.equal(got.length, want.length, got.join('\n'));
    for (const [i, w] of want.entries()) {
      assert.ok(got[i]?.startsWith(w), `${got[i]}\n  should start with\n${w}`);
    }
  });
}

test('health config error: an IPv6 real with a probe that reaches IPv4 only', () => {
  const r = parse(
    lines(
      'services:',
      '  - { address: 192.0.2.240, port: 80, real_servers: ["[2001:db8::2]:80", 192.0.2.2] }',
    ),
  );
  assert.ok(r.ok);
  const v4only: ProbeFactory = {
    type: 'connect',
    summary: 'test',
    families: [4],
    validate: () => [],
    create: () => ({ type: 'connect', run: async () => ({ ok: true }) }),
  };
  const svc = { ...r.config.services[0]!, check: { type: 'connect' } };
  const issues = checkHealth([indexService(svc, 0)], undefined, isExecutable, () => v4only);
  assert.deepEqual(issues, [
    {
      path: ['services', 0, 'real_servers', 0],
      message: 'check type connect cannot reach an IPv6 address (it supports IPv4 only)',
    },
  ]);
});

test('health config: a checked real server in an address family this host lacks is an error', () => {
  const text = [
    'services:',
    '  - address: 192.0.2.240',
    '    port: 80',
    '    check: { type: connect }',
    '    real_servers: ["192.0.2.2", "[2001:db8::2]:80"]',
    '  - address: 192.0.2.240',
    '    port: 81',
    '    check: { type: on }',
    '    real_servers: ["[2001:db8::3]:81"]',
  ].join('\n');
  const v4only = parseConfig(text, 'f.yaml', { hostFamilies: new Set([4]) });
  assert.equal(v4only.ok, false);
  if (!v4only.ok) {
    assert.deepEqual(v4only.issues.map(formatIssue), [
      'f.yaml:5:33: services[0].real_servers[1]: this host has no IPv6 address, so the connect check cannot reach 2001:db8::2',
    ]);
  }
  assert.equal(parseConfig(text, 'f.yaml', { hostFamilies: new Set([4, 6]) }).ok, true);
});
