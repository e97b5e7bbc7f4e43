import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conntrackGauges, counterDelta, parseCounterName, parseCounters } from './counters.ts';

describe('counters', () => {
  it('parses the counted sets of nft -j list sets (as nftables 1.0.6 prints them)', () => {
    const elem = (val: number, packets: number, bytes: number) => ({
      elem: { val, counter: { packets, bytes } },
    });
    const m = parseCounters([
      { metainfo: { version: '1.0.6' } },
      { set: { family: 'inet', name: 'r_new', type: 'mark', elem: [elem(1, 3, 180), elem(2, 0, 0)] } },
      { set: { family: 'inet', name: 'r_out', type: 'mark', elem: [elem(2, 5, 300)] } },
      { set: { family: 'inet', name: 'drops', type: 'mark', elem: [elem(0, 7, 420)] } },
      { set: { family: 'inet', name: 's0_avail', type: 'mark', elem: [1, 2] } },
    ]);
    assert.deepEqual(
      [...m],
      [
        ['r1_new', { packets: 3, bytes: 180 }],
        ['r2_new', { packets: 0, bytes: 0 }],
        ['r2_out', { packets: 5, bytes: 300 }],
        ['s0_drop', { packets: 7, bytes: 420 }],
      ],
    );
  });

  const deltas = [
    { prev: undefined, now: { packets: 3, bytes: 30 }, want: { packets: 3, bytes: 30 } },
    { prev: { packets: 3, bytes: 30 }, now: { packets: 5, bytes: 70 }, want: { packets: 2, bytes: 40 } },
    { prev: { packets: 9, bytes: 90 }, now: { packets: 1, bytes: 10 }, want: { packets: 1, bytes: 10 } },
  ];
  for (const c of deltas) {
    it(`delta ${JSON.stringify(c.prev)} → ${JSON.stringify(c.now)}`, () =>
      assert.deepEqual(counterDelta(c.prev, c.now), c.want));
  }

  it('names', () => {
    assert.deepEqual(parseCounterName('r12_new'), { mark: 12, kind: 'new' });
    assert.deepEqual(parseCounterName('s3_drop'), { drop: 3 });
    assert.equal(parseCounterName('other'), undefined);
  });

  it('conntrack gauges by mark: TCP established active, the rest inactive', () => {
    const text = [
      'ipv4     2 tcp      6 431999 ESTABLISHED src=203.0.113.10 dst=203.0.113.240 sport=1 dport=80 src=198.51.100.11 dst=203.0.113.10 sport=8080 dport=1 [ASSURED] mark=1 zone=0 use=2',
      'ipv4     2 tcp      6 119 TIME_WAIT src=203.0.113.10 dst=203.0.113.240 sport=2 dport=80 src=198.51.100.11 dst=203.0.113.10 sport=8080 dport=2 [ASSURED] mark=1 zone=0 use=2',
      'ipv4     2 udp      17 29 src=203.0.113.10 dst=203.0.113.240 sport=3 dport=53 src=198.51.100.12 dst=203.0.113.10 sport=53 dport=3 mark=2 zone=0 use=2',
      'ipv4     2 udp      17 29 src=1.1.1.1 dst=2.2.2.2 sport=3 dport=53 src=2.2.2.2 dst=1.1.1.1 sport=53 dport=3 mark=0 zone=0 use=2',
    ].join('\n');
    assert.deepEqual(
      [...conntrackGauges(text)],
      [
        [1, { active: 1, inactive: 1 }],
        [2, { active: 0, inactive: 1 }],
      ],
    );
  });
});
