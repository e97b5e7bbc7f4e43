import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ConnectionEntry } from '../../director/connections-snapshot.ts';
import type { DirectorSnapshot } from '../../director/snapshot.ts';
import type { PortNames } from './address.ts';
import type { ListFormat } from './command.ts';
import { formatList, formatSave, formatTimeouts } from './format.ts';
import { formatConnections } from './format-connections.ts';
import { largeNum } from './format-text.ts';

// Goldens are written by test/fixtures/ipvsadm/make-golden.py, a transcription of ipvsadm.c's printf
// formats independent of this formatter; the comparison is byte for byte (trailing spaces included).
const dir = new URL('../../../test/fixtures/ipvsadm/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const snap = JSON.parse(read('snapshot.json')) as DirectorSnapshot;
const conns = JSON.parse(read('connections.json')) as ConnectionEntry[];
const portNames = JSON.parse(read('port-names.json')) as Record<string, string>;
const names: PortNames = { name: (p) => portNames[String(p)], port: () => undefined };

const FORMAT: ListFormat = {
  numeric: false,
  stats: false,
  rate: false,
  thresholds: false,
  persistentConn: false,
  tunInfo: false,
  nosort: false,
  exact: false,
};
const f = (over: Partial<ListFormat>): ListFormat => ({ ...FORMAT, ...over });
const svc80 = snap.services.find((s) => s.id === 'tcp:192.168.6.240:80');

const CASES: Array<[string, () => string]> = [
  ['list-n.txt', () => formatList(snap, f({ numeric: true }), names)],
  ['list-names.txt', () => formatList(snap, FORMAT, names)],
  ['list-nosort-n.txt', () => formatList(snap, f({ numeric: true, nosort: true }), names)],
  ['list-stats-n.txt', () => formatList(snap, f({ numeric: true, stats: true }), names)],
  ['list-stats-exact-n.txt', () => formatList(snap, f({ numeric: true, stats: true, exact: true }), names)],
  ['list-rate-n.txt', () => formatList(snap, f({ numeric: true, rate: true }), names)],
  ['list-thresholds-n.txt', () => formatList(snap, f({ numeric: true, thresholds: true }), names)],
  ['list-persistent-conn-n.txt', () => formatList(snap, f({ numeric: true, persistentConn: true }), names)],
  ['list-tun-info-n.txt', () => formatList(snap, f({ numeric: true, tunInfo: true }), names)],
  ['list-service-n.txt', () => formatList(snap, f({ numeric: true }), names, svc80)],
  ['list-service-stats-n.txt', () => formatList(snap, f({ numeric: true, stats: true }), names, svc80)],
  ['save-n.txt', () => formatSave(snap, true, names)],
  ['save-names.txt', () => formatSave(snap, false, names)],
  ['timeout.txt', () => formatTimeouts(snap.timeouts)],
  ['conn-n.txt', () => formatConnections(conns, { numeric: true, persistentConn: false }, names)],
  ['conn-names.txt', () => formatConnections(conns, { numeric: false, persistentConn: false }, names)],
  ['conn-persistent-n.txt', () => formatConnections(conns, { numeric: true, persistentConn: true }, names)],
];

for (const [golden, render] of CASES) {
  test(`ipvsadm output matches ${golden} byte for byte`, () => {
    assert.equal(render(), read(golden));
  });
}

test('the seed-system sample rows keep their trailing padding', () => {
  const text = read('list-n.txt');
  assert.ok(text.includes('  -> 192.168.6.2:80               Route   1      12         87        \n'));
  assert.ok(text.includes('  -> 192.168.6.3:80               Route   0      3          140       \n'));
});

test('K/M/G/T abbreviation boundaries and --exact widths', () => {
  const cases: Array<[number, boolean, string]> = [
    [0, false, '        0'],
    [99_999_999, false, ' 99999999'],
    [100_000_000, false, '  100000K'],
    [999_999_999, false, '  999999K'],
    [1_000_000_000, false, '    1000M'],
    [99_999_999_999, false, '   99999M'],
    [100_000_000_000, false, '     100G'],
    [99_999_999_999_999, false, '   99999G'],
    [100_000_000_000_000, false, '     100T'],
    [12_345_678, true, ' 12345678'],
    [123_456_789, true, ' 123456789'],
    [1_000_000_000_000, true, ' 1000000000000'],
  ];
  for (const [n, exact, want] of cases) assert.equal(largeNum(n, exact), want, `${n} exact=${exact}`);
});
