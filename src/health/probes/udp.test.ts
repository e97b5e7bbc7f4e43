import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeSettings } from '../probe.ts';
import { udpProbe } from './udp.ts';

describe('udp validate', () => {
  const cases: readonly [string, ProbeSettings, 'tcp' | 'udp', readonly (string | RegExp)[]][] = [
    ['send and expect', { request: 'STATUS\\n', receive: '^OK' }, 'udp', []],
    ['send, any reply', { request: 'x' }, 'udp', []],
    ['no request', { receive: 'x' }, 'udp', ['request: required by the udp check (the datagram to send)']],
    [
      'a TCP service',
      { request: 'x' },
      'tcp',
      ['type: udp send/expect needs a UDP service; use type tcp for a TCP service'],
    ],
    [
      'a lone backslash',
      { request: 'x\\' },
      'udp',
      ['request: ends with a lone backslash (write \\\\ for one backslash)'],
    ],
    [
      'an invalid regex',
      { request: 'x', receive: '(?<' },
      'udp',
      [/^receive: invalid regular expression: \/\(\?<\/: /],
    ],
    [
      'a field it does not read',
      { request: 'x', recordType: 'A' },
      'udp',
      ['record_type: udp checks do not use it'],
    ],
  ];
  for (const [name, settings, protocol, want] of cases) {
    it(name, () => {
      const got = udpProbe.validate(settings, { protocol });
      assert.equal(got.length, want.length, got.join('\n'));
      for (const [i, w] of want.entries()) {
        if (typeof w === 'string') assert.equal(got[i], w);
        else assert.match(got[i] ?? '', w);
      }
    });
  }
});
