import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closingPurgeScript, setKeys } from './map-entries.ts';

const key = (addr: string, sport: number) => ({ concat: [addr, sport, 80] });

test('setKeys reads plain and wrapped (timeout) elements of nft -j list set', () => {
  const objs = [
    { metainfo: {} },
    {
      set: {
        name: 's0_fin',
        elem: [{ elem: { val: key('192.0.2.10', 40123), expires: 90 } }, key('192.0.2.10', 5)],
      },
    },
  ];
  assert.deepEqual([...setKeys(objs)], ['192.0.2.10 . 40123 . 80', '192.0.2.10 . 5 . 80']);
  assert.deepEqual([...setKeys([{ set: { name: 'empty' } }])], []);
});

test('closingPurgeScript drops only closing flows of the given servers, from the map and the set', () => {
  const flows: Array<[unknown, unknown]> = [
    [{ elem: { val: key('192.0.2.10', 1), expires: 3 } }, 2], // closing, server 2: dropped
    [key('192.0.2.10', 2), 2], // established, server 2: kept
    [key('192.0.2.10', 3), 1], // closing, server 1: kept
  ];
  const closing = new Set(['192.0.2.10 . 1 . 80', '192.0.2.10 . 3 . 80']);
  assert.equal(
    closingPurgeScript('webfarm', 0, flows, closing, new Set([2])),
    'delete element netdev webfarm s0_flows { 192.0.2.10 . 1 . 80 }\n' +
      'delete element netdev webfarm s0_fin { 192.0.2.10 . 1 . 80 }\n',
  );
  assert.equal(closingPurgeScript('webfarm', 0, flows, closing, new Set([3])), '');
});
