import assert from 'node:assert/strict';
import { test } from 'node:test';
import { message } from '../message.ts';
import { decodeManagerMessage, encodeManagerMessage, type ManagerMessage } from './messages.ts';

test('manager messages round-trip through heartbeat message fields', () => {
  const cases: [ManagerMessage, [string, string][]][] = [
    [
      { kind: 'hold', held: ['IPaddr::192.0.2.240/24/eth0', 'httpd'], standby: false, ping: 2 },
      [
        ['t', 'wf-hold'],
        ['held', 'IPaddr::192.0.2.240/24/eth0 httpd'],
        ['standby', '0'],
        ['ping', '2'],
      ],
    ],
    [
      { kind: 'hold', held: [], standby: true, ping: undefined },
      [
        ['t', 'wf-hold'],
        ['held', ''],
        ['standby', '1'],
      ],
    ],
    [
      { kind: 'ip-request', key: '192.0.2.240' },
      [
        ['t', 'ip-request'],
        ['ipaddr', '192.0.2.240'],
      ],
    ],
    [
      { kind: 'ip-request-resp', key: '192.0.2.240', ok: true },
      [
        ['t', 'ip-request-resp'],
        ['ipaddr', '192.0.2.240'],
        ['ok', 'OK'],
      ],
    ],
    [
      { kind: 'released', keys: ['a', 'b'] },
      [
        ['t', 'wf-released'],
        ['keys', 'a b'],
      ],
    ],
    [{ kind: 'starting' }, [['t', 'starting']]],
    [
      { kind: 'resource', hold: 'foreign', stable: true },
      [
        ['t', 'resource'],
        ['rsc_hold', 'foreign'],
        ['rtype', 'full'],
        ['isstable', '1'],
      ],
    ],
  ];
  for (const [m, fields] of cases) {
    const encoded = encodeManagerMessage(m);
    assert.deepEqual(encoded, message(fields), m.kind);
    assert.deepEqual(decodeManagerMessage(encoded), m, m.kind);
  }
});

test('other and malformed messages decode to undefined', () => {
  const bad: [string, string][][] = [
    [['t', 'status']],
    [['t', 'wf-hold']],
    [
      ['t', 'wf-hold'],
      ['held', 'a'],
      ['standby', 'maybe'],
    ],
    [
      ['t', 'wf-hold'],
      ['held', 'a'],
      ['standby', '0'],
      ['ping', '-1'],
    ],
    [['t', 'ip-request']],
    [
      ['t', 'ip-request'],
      ['ipaddr', 'a b'],
    ],
    [['t', 'wf-released']],
    [['ipaddr', 'x']],
    [['t', 'resource']],
    [
      ['t', 'resource'],
      ['rsc_hold', 'some'],
    ],
  ];
  for (const fields of bad)
    assert.equal(decodeManagerMessage(message(fields)), undefined, JSON.stringify(fields));
  const resp = decodeManagerMessage(
    message([
      ['t', 'ip-request-resp'],
      ['ipaddr', 'k'],
      ['ok', 'bad'],
    ]),
  );
  assert.deepEqual(resp, { kind: 'ip-request-resp', key: 'k', ok: false });
  // heartbeat's mach_down script sends rsc_hold without rtype or isstable: not stable.
  const machDown = decodeManagerMessage(
    message([
      ['t', 'resource'],
      ['rsc_hold', 'foreign'],
      ['info', 'mach_down'],
    ]),
  );
  assert.deepEqual(machDown, { kind: 'resource', hold: 'foreign', stable: false });
});
