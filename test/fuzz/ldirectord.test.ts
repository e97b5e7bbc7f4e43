import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load.ts';
import { importLdirectord } from '../../src/import/import-ldirectord.ts';
import { parseLdirectord } from '../../src/import/ldirectord-parse.ts';
import { NEUTRAL_HOST } from '../../src/import/validate-draft.ts';
import { anyTextArb, assertIssues, check, mutatedArb } from './support.ts';

// ldirectord.cf (src/import: ldirectord-parse.ts, and the whole import to native YAML): never throws, every
// rejection is FILE:LINE:COL inside the file with a one-line message, valid files import to a config
// that the native loader accepts.

const FILE = 'ldirectord.cf';
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');
const FIXTURES = ['all-directives-ldirectord.cf', 'holstein-ldirectord.cf'].map(fixture);

const octet = fc.integer({ min: 1, max: 254 });
const ipArb = fc.tuple(octet, octet).map(([a, b]) => `192.0.${a}.${b}`);
/** Ports without a service that needs settings (53 → dns needs a request, 3306 → mysql a login…). */
const portArb = fc.oneof(fc.constantFrom(80, 443, 8080), fc.integer({ min: 10_000, max: 65_535 }));

const realArb = fc
  .record({
    ip: ipArb,
    port: portArb,
    method: fc.constantFrom('gate', 'masq', 'ipip'),
    weight: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
  })
  .map((r) => `real=${r.ip}:${r.port} ${r.method}${r.weight === undefined ? '' : ` ${r.weight}`}`);

const blockLineArb = fc.oneof(
  fc.constantFrom('rr', 'wrr', 'lc', 'wlc', 'sh', 'dh').map((s) => `scheduler=${s}`),
  fc.constantFrom('connect', 'negotiate', 'off', 'on').map((c) => `checktype=${c}`),
  fc.integer({ min: 1, max: 600 }).map((n) => `checkinterval=${n}`),
  fc.integer({ min: 1, max: 60 }).map((n) => `checktimeout=${n}`),
  fc.integer({ min: 1, max: 3600 }).map((n) => `persistent=${n}`),
  fc.constantFrom('yes', 'no').map((b) => `quiescent=${b}`),
  fc.constantFrom('"/index.html"', '"/healthz"').map((r) => `request=${r}`),
  fc.constantFrom('"ok"', '"Test Page"').map((r) => `receive=${r}`),
  fc.stringMatching(/^[a-z]{1,10}$/).map((c) => `comment=${c}`),
);

const virtualArb = fc
  .record({
    ip: ipArb,
    port: portArb,
    reals: fc.uniqueArray(realArb, { minLength: 1, maxLength: 3, selector: (r) => r.split(' ')[0] }),
    lines: fc.array(blockLineArb, { maxLength: 5 }),
    indent: fc.constantFrom('\t', '    ', '        '),
  })
  .map((v) => [`virtual=${v.ip}:${v.port}`, ...[...v.reals, ...v.lines].map((l) => v.indent + l)].join('\n'));

const globalArb = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((n) => `checktimeout=${n}`),
  fc.integer({ min: 1, max: 600 }).map((n) => `checkinterval=${n}`),
  fc.constantFrom('yes', 'no').map((b) => `quiescent=${b}`),
  fc.constant('fallback=127.0.0.1:80'),
  fc.constant('# a comment'),
  fc.constant(''),
);

/** Generated files: global lines, then virtual blocks at distinct addresses. */
const generatedArb = fc
  .tuple(
    fc.array(globalArb, { maxLength: 4 }),
    fc.uniqueArray(virtualArb, { minLength: 1, maxLength: 3, selector: (v) => v.split('\n')[0] }),
  )
  .map(([g, vs]) => `${[...g, ...vs].join('\n')}\n`);

const validArb = fc.oneof(fc.constantFrom(...FIXTURES), generatedArb);

function importChecked(text: string): void {
  const p = parseLdirectord(text, FILE);
  if (!p.ok) assertIssues(text, FILE, p.issues);
  const r = importLdirectord(text, FILE);
  if (!r.ok) {
    assertIssues(text, FILE, r.issues);
    return;
  }
  assert.ok(p.ok, 'imported what the parser rejected');
  // What an import writes, the native loader accepts (on a neutral host: the director's facts aside).
  const back = parseConfig(r.yaml, 'imported.yaml', NEUTRAL_HOST);
  assert.ok(back.ok, back.ok ? '' : `${r.yaml}\n${JSON.stringify(back.issues)}`);
}

test('fuzz ldirectord.cf: arbitrary text never throws; rejections are placed one-line issues', () => {
  check(fc.property(anyTextArb, importChecked));
});

test('fuzz ldirectord.cf: a valid file with a mutation never throws; rejections are placed', () => {
  check(fc.property(mutatedArb(validArb, 'equals'), importChecked));
});

test('fuzz ldirectord.cf: generated valid files import, one service per virtual=', () => {
  check(
    fc.property(generatedArb, (text) => {
      const r = importLdirectord(text, FILE);
      assert.ok(r.ok, r.ok ? '' : `${text}\n${JSON.stringify(r.issues)}`);
      const back = parseConfig(r.yaml, 'imported.yaml', NEUTRAL_HOST);
      assert.ok(back.ok, JSON.stringify(back));
      const virtuals = text.split('\n').filter((l) => l.startsWith('virtual=')).length;
      assert.equal(back.config.services.length, virtuals);
    }),
  );
});
