import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CheckRequest, checkKey, dedupeChecks } from './check-key.ts';
import type { CheckSpec } from './check-spec.ts';
import type { ProbeTarget } from './probe.ts';

const HTTP: CheckSpec = {
  type: 'http',
  intervalMs: 300,
  timeoutMs: 300,
  fall: 2,
  rise: 2,
  settings: { request: '/health', receive: 'ok' },
};

function tgt(address: string, port: number, vip = '192.0.2.1', vport = 80): ProbeTarget {
  return { protocol: 'tcp', address, port, virtualAddress: vip, virtualPort: vport };
}

function req(service: string, real: string, target: ProbeTarget, spec: CheckSpec = HTTP): CheckRequest {
  return { user: { serviceId: service, realId: real }, target, spec };
}

const sameKey: Array<[string, ProbeTarget, CheckSpec, ProbeTarget, CheckSpec]> = [
  [
    'another virtual service, same real and check',
    tgt('10.0.0.1', 80),
    HTTP,
    tgt('10.0.0.1', 80, '192.0.2.9', 8080),
    HTTP,
  ],
  [
    'settings given in another order',
    tgt('10.0.0.1', 80),
    HTTP,
    tgt('10.0.0.1', 80),
    { ...HTTP, settings: { receive: 'ok', request: '/health' } },
  ],
];

const otherKey: Array<[string, CheckSpec | ProbeTarget]> = [
  ['another port', tgt('10.0.0.1', 81)],
  ['another address', tgt('10.0.0.2', 80)],
  ['udp', { ...tgt('10.0.0.1', 80), protocol: 'udp' }],
  ['another type', { ...HTTP, type: 'https' }],
  ['another request', { ...HTTP, settings: { ...HTTP.settings, request: '/' } }],
  ['another interval', { ...HTTP, intervalMs: 1000 }],
  ['another timeout', { ...HTTP, timeoutMs: 1000 }],
  ['another fall', { ...HTTP, fall: 3 }],
  ['another rise', { ...HTTP, rise: 3 }],
];

for (const [name, t1, s1, t2, s2] of sameKey) {
  test(`checkKey: same check — ${name}`, () => assert.equal(checkKey(t1, s1), checkKey(t2, s2)));
}

for (const [name, change] of otherKey) {
  test(`checkKey: different check — ${name}`, () => {
    const base = tgt('10.0.0.1', 80);
    const other = 'type' in change ? checkKey(base, change) : checkKey(change, HTTP);
    assert.notEqual(checkKey(base, HTTP), other);
  });
}

test('checkKey: external checks are per virtual service (the command gets vip vport)', () => {
  const ext: CheckSpec = { ...HTTP, type: 'external', settings: { command: '/bin/true' } };
  assert.notEqual(
    checkKey(tgt('10.0.0.1', 80, '192.0.2.1'), ext),
    checkKey(tgt('10.0.0.1', 80, '192.0.2.2'), ext),
  );
});

test('dedupeChecks: one check per key, fanned out to every (service, real) that uses it', () => {
  const out = dedupeChecks([
    req('tcp:192.0.2.1:80', '10.0.0.1:80', tgt('10.0.0.1', 80)),
    req('tcp:192.0.2.1:80', '10.0.0.2:80', tgt('10.0.0.2', 80)),
    req('tcp:192.0.2.9:8080', '10.0.0.1:80', tgt('10.0.0.1', 80, '192.0.2.9', 8080)),
    req('tcp:192.0.2.9:8080', '10.0.0.1:80', tgt('10.0.0.1', 80, '192.0.2.9', 8080)),
  ]);
  assert.deepEqual(
    out.map((c) => [c.target.address, c.users.map((u) => u.serviceId)]),
    [
      ['10.0.0.1', ['tcp:192.0.2.1:80', 'tcp:192.0.2.9:8080']],
      ['10.0.0.2', ['tcp:192.0.2.1:80']],
    ],
  );
});
