import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWebfarmError } from '../../model/errors.ts';
import { openSerial, sttyArgs } from './serial.ts';
import { ucastTargets } from './udp-unicast.ts';

test('ucast: a line naming our own address (on our port) is ignored, so one config fits every node', () => {
  const local = new Set(['192.0.2.1', '127.0.0.1']);
  const cases: [string, (string | { address: string; port: number })[], string[], string[]][] = [
    ['two-node config on node 1', ['192.0.2.1', '192.0.2.2'], ['192.0.2.2:694'], ['192.0.2.1:694']],
    [
      'three nodes',
      ['192.0.2.2', '192.0.2.1', '192.0.2.3'],
      ['192.0.2.2:694', '192.0.2.3:694'],
      ['192.0.2.1:694'],
    ],
    [
      'our address on another port is a peer (tests on one host)',
      [{ address: '127.0.0.1', port: 9 }],
      ['127.0.0.1:9'],
      [],
    ],
    ['only ourselves', ['127.0.0.1'], [], ['127.0.0.1:694']],
  ];
  for (const [name, peers, targets, ignored] of cases) {
    const r = ucastTargets(peers, 694, local);
    const fmt = (ts: { address: string; port: number }[]) => ts.map((t) => `${t.address}:${t.port}`);
    assert.deepEqual(fmt(r.targets), targets, name);
    assert.deepEqual(fmt(r.ignored), ignored, name);
  }
});

test('serial: stty argv, baud checked, open errors name the device', async () => {
  assert.deepEqual(sttyArgs('/dev/ttyS0', 19200), ['-F', '/dev/ttyS0', 'raw', '-echo', '19200']);
  const seen: (readonly string[])[] = [];
  const stty = async (argv: readonly string[]) => {
    seen.push(argv);
  };
  await assert.rejects(openSerial({ device: '/dev/ttyS0', baud: 12345, stty }), /baud 12345 is not one of/);
  await assert.rejects(
    openSerial({ device: '/nonexistent/tty', stty }),
    (e: unknown) =>
      isWebfarmError(e) &&
      e.code === 'WF_ERR_CLUSTER_MEDIUM' &&
      /cannot open \/nonexistent\/tty \(ENOENT\)/.test(e.message),
  );
  assert.deepEqual(seen, [['-F', '/nonexistent/tty', 'raw', '-echo', '115200']]);
  await assert.rejects(
    openSerial({
      device: '/dev/ttyS0',
      stty: async () => Promise.reject(new Error('stty: /dev/ttyS0: Input/output error')),
    }),
    /serial \/dev\/ttyS0: cannot set raw mode and speed \(stty: \/dev\/ttyS0: Input\/output error\)/,
  );
});
