import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { normalizeAddress } from '../model/endpoint.ts';
import { SCHEDULER_NAMES } from '../scheduler/scheduler.ts';
import { formatDuration } from './duration.ts';
import { parseConfig } from './load.ts';

/** Any config built from valid parts, written out as YAML, loads back with the same values. */
const real = fc.record({
  address: fc.ipV4(),
  port: fc.integer({ min: 1, max: 65535 }),
  weight: fc.integer({ min: 0, max: 65535 }),
  forward: fc.constant('masq'),
});

const service = fc.record({
  protocol: fc.constantFrom('tcp', 'udp'),
  address: fc.oneof(fc.ipV4(), fc.ipV6()),
  port: fc.integer({ min: 1, max: 65535 }),
  scheduler: fc.constantFrom(...SCHEDULER_NAMES),
  persistence: fc.option(
    fc.integer({ min: 1, max: 86_400 }).map((s) => ({ timeout: formatDuration(s * 1000) })),
    {
      nil: undefined,
    },
  ),
  proxy_protocol: fc.constantFrom('off', 'v1', 'v2'),
  real_servers: fc.uniqueArray(real, { maxLength: 4, selector: (r) => `${r.address}:${r.port}` }),
});

const config = fc.record({
  timeouts: fc.record({ tcp: fc.integer({ min: 1, max: 100_000 }).map((ms) => formatDuration(ms)) }),
  services: fc.uniqueArray(service, {
    maxLength: 4,
    selector: (s) => `${s.protocol} ${normalizeAddress(s.address)} ${s.port}`,
  }),
});

test('round trip: valid configs written as YAML load back unchanged', () => {
  fc.assert(
    fc.property(config, (c) => {
      const clean = JSON.parse(JSON.stringify(c)) as typeof c;
      const r = parseConfig(stringify(clean), 'gen.yaml');
      if (!r.ok) assert.fail(r.issues.map((i) => i.message).join('\n'));
      assert.equal(r.config.services.length, clean.services.length);
      clean.services.forEach((s, i) => {
        const got = r.config.services[i]!;
        assert.equal(got.scheduler, s.scheduler);
        assert.equal(got.port, s.port);
        assert.equal(got.persistence === undefined, s.persistence === undefined);
        assert.deepEqual(
          got.real_servers.map((x) => [x.address, x.port, x.weight, x.forward]),
          s.real_servers.map((x) => [x.address, x.port, x.weight, x.forward]),
        );
      });
    }),
    { numRuns: 200 },
  );
});
