import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHaCf, parseTime } from './hacf-parse.ts';
import { parseHaresources } from './haresources-parse.ts';

const cf = (text: string) => {
  const r = parseHaCf(text, 'ha.cf');
  assert.ok(r.ok, r.ok ? '' : r.issues.map((i) => i.message).join('\n'));
  return r.value;
};
const cfErrors = (text: string) => {
  const r = parseHaCf(text, 'ha.cf');
  return r.ok ? [] : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
};

describe('ha.cf (seed-system.md §2.3–2.6)', () => {
  it('times: seconds or ms', () => {
    assert.deepEqual(['2', '1.5', '500ms', '0', 'x', '2s', '0.0001'].map(parseTime), [
      2000,
      1500,
      500,
      undefined,
      undefined,
      2000,
      undefined,
    ]);
  });

  it('every directive with a meaning', () => {
    const v = cf(
      'keepalive 500ms\ndeadtime 3\nwarntime 1\ninitdead 10\nudpport 700\nbcast eth0 eth1\nucast eth0 10.0.0.2\nudpport 701\nudp eth2\nmcast eth0 225.0.0.1 694 2 1\nserial /dev/ttyS0 /dev/ttyS1\nbaud 38400\nnode a b\nnode c\nauto_failback off\nping 10.0.0.254\nping_group g 10.0.0.1 10.0.0.3\nstonith_host * baytech 10.0.0.3 admin pw\n',
    );
    assert.deepEqual(Object.fromEntries(Object.entries(v.timing).map(([k, t]) => [k, t?.ms])), {
      keepalive: 500,
      deadtime: 3000,
      warntime: 1000,
      initdead: 10000,
    });
    assert.deepEqual(
      v.media.map((m) => m.medium),
      [
        { type: 'bcast', device: 'eth0', port: 700 },
        { type: 'bcast', device: 'eth1', port: 700 },
        { type: 'ucast', device: 'eth0', peer: '10.0.0.2', port: 700 },
        { type: 'bcast', device: 'eth2', port: 701 },
        { type: 'mcast', device: 'eth0', group: '225.0.0.1', port: 694, ttl: 2, loop: true },
        { type: 'serial', device: '/dev/ttyS0' },
        { type: 'serial', device: '/dev/ttyS1' },
      ],
    );
    assert.equal(v.baud?.value, 38400);
    assert.deepEqual(
      v.nodes.map((n) => n.name),
      ['a', 'b', 'c'],
    );
    assert.equal(v.autoFailback?.value, false);
    assert.deepEqual(
      v.ping.map((p) => p.address),
      ['10.0.0.254', '10.0.0.1', '10.0.0.3'],
    );
    assert.deepEqual(v.stonith?.command, ['/usr/sbin/stonith', '-t', 'baytech', '-p', '10.0.0.3 admin pw']);
    assert.match(v.notes[0] ?? '', /^ha\.cf:8: udpport after media lines/);
  });

  it('failback spellings', () => {
    assert.equal(cf('nice_failback on\n').autoFailback?.value, false);
    assert.equal(cf('nice_failback off\n').autoFailback?.value, true);
    assert.equal(cf('auto_failback legacy\n').autoFailback?.value, true);
    assert.equal(cf('auto_failback yes\n').autoFailback?.value, true);
  });

  it('ignored directives are listed with their line; comments anywhere', () => {
    const v = cf('# c\nlogfacility local0 # trailing\nrespawn hacluster /usr/lib/heartbeat/ipfail\ncrm no\n');
    assert.deepEqual(v.ignored, [
      'ha.cf:2: logfacility: ignored; webfarm logs to stderr (the journal under systemd)',
      'ha.cf:3: respawn: ipfail: webfarm votes with cluster.ping_nodes itself',
      'ha.cf:4: crm: ignored; no CRM/Pacemaker: haresources (v1) mode only',
    ]);
  });

  const errors: ReadonlyArray<readonly [string, string]> = [
    ['bcats eth0\n', '1:1: unknown ha.cf directive "bcats" (did you mean "bcast"?)'],
    ['keepalive\n', '1:1: keepalive: expected "keepalive SECONDS"'],
    ['deadtime  soon\n', '1:11: deadtime: "soon" is not a time (seconds, or a number with ms)'],
    ['ucast eth0\n', '1:1: ucast: expected "ucast DEVICE PEER-ADDRESS"'],
    ['mcast eth0 225.0.0.1 694 x 0\n', '1:26: mcast: "x" is not a number'],
    ['udpport 70000\n', '1:9: udpport: "70000" is not a port'],
    ['auto_failback maybe\n', '1:15: auto_failback: "maybe" is not on or off'],
  ];
  for (const [text, want] of errors)
    it(`error: ${text.trim()}`, () => assert.deepEqual(cfErrors(text), [want]));
});

describe('haresources (seed-system.md §2.7)', () => {
  it('addresses, ldirectord, scripts, continuation lines', () => {
    const r = parseHaresources(
      'director1 192.168.6.240 ldirectord::www\n# c\ndirector2 IPaddr::10.0.0.1/24/eth1 \\\n  IPaddr2::10.0.0.2/24/10.0.0.255 httpd Filesystem::/dev/sda1::/data::ext3 ldirectord\n',
      'haresources',
    );
    assert.ok(r.ok);
    const strip = (x: object) => Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'at'));
    assert.deepEqual(
      r.groups.map((g) => [g.node, g.resources.map(strip)]),
      [
        [
          'director1',
          [
            { kind: 'ipaddr', address: '192.168.6.240' },
            { kind: 'ldirectord', file: 'www' },
          ],
        ],
        [
          'director2',
          [
            { kind: 'ipaddr', address: '10.0.0.1', prefix: 24, device: 'eth1' },
            { kind: 'ipaddr', address: '10.0.0.2', prefix: 24, broadcast: '10.0.0.255' },
            { kind: 'script', name: 'httpd', args: [] },
            { kind: 'script', name: 'Filesystem', args: ['/dev/sda1', '/data', 'ext3'] },
            { kind: 'ldirectord', file: undefined },
          ],
        ],
      ],
    );
    assert.deepEqual(r.groups[1]?.resources[1]?.at, { line: 4, col: 3 });
  });

  const errors: ReadonlyArray<readonly [string, string]> = [
    ['director1\n', '1:1: group of director1: no resources'],
    ['d1 IPaddr::300.1.1.1\n', '1:4: "300.1.1.1" is not an IPv4 address'],
    ['d1 10.0.0.1/40\n', '1:4: 10.0.0.1: "/40" is not a prefix length 0..32'],
    ['d1 ::x\n', '1:4: "::x" is not a resource (ADDRESS, IPaddr::…, ldirectord::… or SCRIPT::ARG…)'],
  ];
  for (const [text, want] of errors) {
    it(`error: ${text.trim()}`, () => {
      const r = parseHaresources(text, 'haresources');
      assert.deepEqual(r.ok ? [] : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`), [want]);
    });
  }
});
