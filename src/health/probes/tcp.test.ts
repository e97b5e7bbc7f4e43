import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeSettings } from '../probe.ts';
import { tcpProbe } from './tcp.ts';

describe('tcp validate', () => {
  const cases: readonly [string, ProbeSettings, 'tcp' | 'udp', readonly (string | RegExp)[]][] = [
    ['banner only', {}, 'tcp', []],
    ['send and expect', { request: 'PING\\r\\n', receive: '^\\+PONG' }, 'tcp', []],
    [
      'a UDP service',
      {},
      'udp',
      ['type: tcp send/expect needs a TCP service; use type udp for a UDP service'],
    ],
    [
      'an unknown escape',
      { request: 'a\\x41' },
      'tcp',
      ['request: unknown escape \\x (known: \\n \\r \\t \\\\)'],
    ],
    ['an invalid regex', { receive: '[' }, 'tcp', [/^receive: invalid regular expression: \/\[\/: /]],
    ['a field it does not read', { method: 'GET' }, 'tcp', ['method: tcp checks do not use it']],
  ];
  for (const [name, settings, protocol, want] of cases) {
    it(name, () => {
      const got = tcpProbe.validate(settings, { protocol });
      assert.equal(got.length, want.length, got.join('\n'));
      for (const [i, w] of want.entries()) {
        if (typeof w === 'string') assert.equal(got[i], w);
        else assert.match(got[i] ?? '', w);
      }
    });
  }
});
