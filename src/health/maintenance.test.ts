import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inMaintenance } from './maintenance.ts';

const cases: Array<[string[], string, number, boolean]> = [
  [['10.0.0.1:80'], '10.0.0.1', 80, true],
  [['10.0.0.1:80'], '10.0.0.1', 81, false],
  [['10.0.0.1'], '10.0.0.1', 8080, true],
  [['10.0.0.10'], '10.0.0.1', 80, false],
  [['[2001:db8::1]:80'], '2001:db8::1', 80, true],
  [['[2001:DB8:0::1]'], '2001:db8::1', 443, true],
  [['2001:db8::1'], '2001:db8::1', 443, true],
  [['[2001:db8::1]:80'], '2001:db8::1', 81, false],
  [['README', 'host.example:80', '.keep'], '10.0.0.1', 80, false],
];

for (const [names, address, port, want] of cases) {
  test(`maintenance: ${JSON.stringify(names)} vs ${address} port ${port} → ${want}`, () => {
    assert.equal(inMaintenance(new Set(names), address, port), want);
  });
}
