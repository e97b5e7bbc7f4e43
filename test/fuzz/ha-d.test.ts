import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { parseConfig } from '../../src/config/load.ts';
import { assembleHaD } from '../../src/import/had-assemble.ts';
import { parseHaCf } from '../../src/import/hacf-parse.ts';
import { parseHaresources } from '../../src/import/haresources-parse.ts';
import { NEUTRAL_HOST } from '../../src/import/validate-draft.ts';
import { anyTextArb, assertIssues, check, checkAsync, mutatedArb } from './support.ts';

// heartbeat's ha.cf and haresources (src/import/hacf-parse.ts, haresources-parse.ts) and the whole ha.d
// import (had-assemble.ts): never throw, every rejection is FILE:LINE:COL inside the file it names with a
// one-line message, and what an import writes the native loader accepts.

const fixture = (dir: string, name: string) =>
  readFileSync(new URL(`../fixtures/import/${dir}/${name}`, import.meta.url), 'utf8');
const DIRS = ['holstein-ha.d', 'loopback-ha.d'];
const HACF = 'ha.cf';
const HARES = 'haresources';
const LDCF = 'ldirectord.cf';

const nodeArb = fc.constantFrom('director1', 'director2');
const hacfLineArb = fc.oneof(
  fc
    .constantFrom('keepalive', 'deadtime', 'warntime', 'initdead')
    .chain((d) =>
      fc
        .oneof(fc.integer({ min: 1, max: 120 }).map(String), fc.constantFrom('500ms', '1.5'))
        .map((v) => `${d} ${v}`),
    ),
  fc.integer({ min: 1, max: 65535 }).map((p) => `udpport ${p}`),
  fc.constantFrom('bcast eth0', 'ucast eth0 192.0.2.5', 'mcast eth0 239.0.0.1 694 1 0', 'serial /dev/ttyS0'),
  fc.constantFrom('auto_failback on', 'auto_failback off', 'nice_failback on', 'ping 192.0.2.1'),
  fc.constantFrom('logfacility local0', 'respawn hacluster /usr/lib/heartbeat/ipfail', '# comment', ''),
);
/** Generated ha.cf: both nodes, a medium, then random directives. */
const hacfArb = fc
  .array(hacfLineArb, { maxLength: 8 })
  .map((ls) => ['node director1 director2', 'bcast eth0', ...ls, ''].join('\n'));

const resourceArb = fc.oneof(
  fc.integer({ min: 1, max: 254 }).map((n) => `192.0.2.${n}`),
  fc.integer({ min: 1, max: 254 }).map((n) => `IPaddr::192.0.2.${n}/24/eth0`),
  fc.constantFrom('ldirectord::ldirectord.cf', 'httpd', 'Filesystem::/dev/sda1::/data::ext3'),
);
const haresArb = fc
  .array(fc.tuple(nodeArb, fc.array(resourceArb, { minLength: 1, maxLength: 4 })), {
    minLength: 1,
    maxLength: 3,
  })
  .map((gs) => `${gs.map(([n, rs]) => `${n} ${rs.join(' ')}`).join('\n')}\n`);

const hacfValidArb = fc.oneof(fc.constantFrom(...DIRS.map((d) => fixture(d, HACF))), hacfArb);
const haresValidArb = fc.oneof(fc.constantFrom(...DIRS.map((d) => fixture(d, HARES))), haresArb);

test('fuzz ha.cf: any or damaged text never throws; rejections are placed one-line issues', () => {
  check(
    fc.property(fc.oneof(anyTextArb, mutatedArb(hacfValidArb, 'words')), (text) => {
      const r = parseHaCf(text, HACF);
      if (!r.ok) assertIssues(text, HACF, r.issues);
    }),
  );
});

test('fuzz haresources: any or damaged text never throws; rejections are placed one-line issues', () => {
  check(
    fc.property(fc.oneof(anyTextArb, mutatedArb(haresValidArb, 'words')), (text) => {
      const r = parseHaresources(text, HARES);
      if (!r.ok) assertIssues(text, HARES, r.issues);
    }),
  );
});

test('fuzz ha.cf, haresources: generated valid files parse', () => {
  check(
    fc.property(hacfArb, haresArb, (cf, res) => {
      const a = parseHaCf(cf, HACF);
      assert.ok(a.ok, JSON.stringify(a));
      assert.deepEqual(
        a.value.nodes.map((n) => n.name),
        ['director1', 'director2'],
      );
      const b = parseHaresources(res, HARES);
      assert.ok(b.ok, JSON.stringify(b));
      assert.equal(b.groups.length, res.trim().split('\n').length);
    }),
  );
});

/** The whole import over damaged ha.cf/haresources/ldirectord.cf texts, in memory. */
test('fuzz ha.d import: damaged directories are refused with placed issues, or import to a valid config', async () => {
  const texts = (dir: string) => ({
    cf: fixture(dir, HACF),
    res: fixture(dir, HARES),
    ld: fixture(dir, LDCF),
  });
  const seeds = DIRS.map(texts);
  const damaged = fc.constantFrom(...seeds).chain((s) =>
    fc.oneof(
      mutatedArb(fc.constant(s.cf), 'words').map((cf) => ({ ...s, cf })),
      mutatedArb(fc.constant(s.res), 'words').map((res) => ({ ...s, res })),
      mutatedArb(fc.constant(s.ld), 'equals').map((ld) => ({ ...s, ld })),
      fc.constant(s),
    ),
  );
  await checkAsync(
    fc.asyncProperty(damaged, async ({ cf, res, ld }) => {
      const r = await assembleHaD({
        haCf: { file: HACF, text: cf },
        haresources: { file: HARES, text: res },
        authkeys: { file: 'authkeys', sendId: 1, method: 'sha1' },
        hostname: 'nowhere',
        extra: [],
        loadLdirectord: async () => ({ file: LDCF, text: ld }),
      });
      if (r.ok) {
        // Without a node name the output is checked as the first node, as the import itself does.
        const doc = parseDocument(r.yaml);
        if (doc.hasIn(['cluster']) && !doc.hasIn(['cluster', 'node'])) {
          doc.setIn(['cluster', 'node'], doc.getIn(['cluster', 'nodes', 0]));
        }
        const back = parseConfig(doc.toString(), 'imported.yaml', NEUTRAL_HOST);
        assert.ok(back.ok, back.ok ? '' : `${r.yaml}\n${JSON.stringify(back.issues)}`);
        return;
      }
      const byFile: Record<string, string> = { [HACF]: cf, [HARES]: res, [LDCF]: ld };
      for (const i of r.issues) {
        const text = byFile[i.file];
        assert.ok(text !== undefined, `an issue in an unknown file: ${JSON.stringify(i)}`);
        assertIssues(text, i.file, [i]);
      }
    }),
  );
});
