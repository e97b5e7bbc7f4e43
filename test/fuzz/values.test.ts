import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../../src/config/duration.ts';
import { parseNetmask, prefixToDotted } from '../../src/director/netmask.ts';
import { formatEndpoint, normalizeAddress, parseEndpoint } from '../../src/model/endpoint.ts';
import { anyTextArb, check, wordArb } from './support.ts';

// The small value parsers the config, API and ipvsadm share: durations (config/duration.ts), endpoints
// (model/endpoint.ts), persistence netmasks (director/netmask.ts). Never throw; a refusal has a message;
// what they accept is in range and survives its printer.

const textArb = fc.oneof(
  anyTextArb,
  wordArb,
  fc.stringMatching(/^[0-9.:[\]a-f]{0,24}$/),
  fc.nat(300).map(String),
  fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((o) => o.join('.')),
);

test('fuzz durations: any text or number never throws; accepted values are whole ms in range', () => {
  const numArb = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e308),
  );
  const unitArb = fc
    .array(
      fc.tuple(
        fc.oneof(fc.nat().map(String), fc.constantFrom('1.5', '0.0001', '99999999999999999999')),
        fc.constantFrom('ms', 's', 'm', 'h', ' s', 'd', ''),
      ),
      { maxLength: 4 },
    )
    .chain((ps) => fc.constantFrom('', ' ').map((sep) => ps.map(([n, u]) => n + u).join(sep)));
  check(
    fc.property(fc.oneof(textArb, numArb, unitArb), (v) => {
      const r = parseDuration(v);
      if (!r.ok) {
        assert.ok(r.error.trim() !== '', `empty error for ${String(v)}`);
        return;
      }
      assert.ok(Number.isInteger(r.ms) && r.ms >= 0 && r.ms <= MAX_DURATION_MS, `${String(v)} → ${r.ms}`);
    }),
  );
});

test('fuzz durations: formatDuration output parses back to the same milliseconds', () => {
  check(
    fc.property(
      fc.oneof(
        fc.integer({ min: 0, max: MAX_DURATION_MS }),
        fc.nat(100_000).map((n) => n * 60_000),
      ),
      (ms) => {
        const ms_ = Math.min(ms, MAX_DURATION_MS);
        const r = parseDuration(formatDuration(ms_));
        assert.ok(r.ok, `${ms_} → ${formatDuration(ms_)}: ${r.ok ? '' : r.error}`);
        assert.equal(r.ms, ms_);
      },
    ),
  );
});

test('fuzz endpoints: any text never throws; accepted endpoints print and parse back the same', () => {
  check(
    fc.property(textArb, (t) => {
      const r = parseEndpoint(t);
      if (!r.ok) {
        assert.ok(r.error.trim() !== '');
        return;
      }
      assert.ok(isIP(r.value.address) !== 0 && r.value.port >= 0 && r.value.port <= 65535);
      assert.deepEqual(parseEndpoint(formatEndpoint(r.value.address, r.value.port)), r);
    }),
  );
});

test('fuzz endpoints: every address and port is accepted, IPv6 in canonical form', () => {
  check(
    fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 65535 }), (a, p) => {
      const r = parseEndpoint(formatEndpoint(a, p));
      assert.ok(r.ok, `${a} ${p}`);
      assert.deepEqual(r.value, { address: normalizeAddress(a), port: p });
    }),
  );
});

test('fuzz netmasks: any text never throws; accepted masks are prefixes in range; dotted masks round-trip', () => {
  check(
    fc.property(textArb, fc.constantFrom(4 as const, 6 as const), (t, family) => {
      const r = parseNetmask(t, family);
      if (!r.ok) {
        assert.ok(r.error.trim() !== '');
        return;
      }
      assert.ok(Number.isInteger(r.prefix) && r.prefix >= 0 && r.prefix <= (family === 4 ? 32 : 128), `${t}`);
    }),
  );
  check(
    fc.property(fc.integer({ min: 0, max: 32 }), (p) => {
      assert.deepEqual(parseNetmask(prefixToDotted(p), 4), { ok: true, prefix: p });
      assert.deepEqual(parseNetmask(String(p), 4), { ok: true, prefix: p });
    }),
  );
});
