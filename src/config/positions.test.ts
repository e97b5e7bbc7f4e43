import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineCounter, parseDocument } from 'yaml';
import type { ConfigPath } from './issue.ts';
import { locate } from './positions.ts';

const SOURCE = [
  'engine: proxy', // 1
  'timeouts: { tcp: 900s, udp: 5m }', // 2
  'services:', // 3
  '  - name: web', // 4
  '    address: 192.0.2.240', // 5
  '    port: 80', // 6
  '    real_servers:', // 7
  '      - address: 192.0.2.2', // 8
  '        weight: 70000', // 9
  '      - "192.0.2.3:80"', // 10
  '  - address: 192.0.2.241', // 11
  '    persistence:', // 12
  '',
].join('\n');

function at(path: ConfigPath, atKey = false): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(SOURCE, { lineCounter });
  const p = locate(doc, lineCounter, path, { atKey });
  return `${p.line}:${p.col}`;
}

test('positions: a path maps to its value node', () => {
  const cases: Array<[ConfigPath, string]> = [
    [[], '1:1'],
    [['engine'], '1:9'],
    [['timeouts', 'udp'], '2:29'],
    [['services', 0], '4:5'],
    [['services', 0, 'port'], '6:11'],
    [['services', 0, 'real_servers', 0, 'weight'], '9:17'],
    [['services', 0, 'real_servers', 1], '10:9'],
    [['services', 1, 'address'], '11:14'],
  ];
  for (const [path, pos] of cases) assert.equal(at(path), pos, JSON.stringify(path));
});

test('positions: missing keys and indexes fall back to the deepest existing node', () => {
  const cases: Array<[ConfigPath, string]> = [
    [['services', 1, 'port'], '11:5'], // the mapping that lacks it
    [['timeouts', 'tcpfin'], '2:11'],
    [['services', 7, 'address'], '4:3'], // index past the end: the list itself
    [['services', 0, 'real_servers', 1, 'address'], '10:9'], // inside a shorthand string
    [['services', 1, 'persistence', 'timeout'], '12:5'], // `persistence:` with no value: the key
  ];
  for (const [path, pos] of cases) assert.equal(at(path), pos, JSON.stringify(path));
});

test('positions: atKey places an issue on the key rather than its value', () => {
  assert.equal(at(['services', 0, 'port'], true), '6:5');
  assert.equal(at(['timeouts', 'udp'], true), '2:24');
});

test('positions: an empty document is 1:1', () => {
  const lineCounter = new LineCounter();
  const doc = parseDocument('', { lineCounter });
  assert.deepEqual(locate(doc, lineCounter, ['services', 0]), { line: 1, col: 1 });
});
