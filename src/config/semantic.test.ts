import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeIssue } from './issue.ts';
import { serviceSchema } from './schema.ts';
import { checkEngine, checkServices, flagProblem, indexService } from './semantic.ts';

const web = { address: '192.0.2.240', port: 80 };

function problems(...services: object[]): string[] {
  const indexed = services.map((raw, i) => indexService(serviceSchema.parse(raw), i));
  return checkServices(indexed).map(describeIssue);
}

test('semantic: each rule reports its field', () => {
  const cases: Array<[string, object[], string[]]> = [
    ['valid service', [{ ...web, real_servers: ['192.0.2.2', '192.0.2.3'] }], []],
    [
      'duplicate virtual service',
      [web, { name: 'b', ...web }],
      ['services[1]: duplicate virtual service tcp 192.0.2.240:80 (also services[0])'],
    ],
    ['same address and port, other protocol', [web, { ...web, protocol: 'udp' }], []],
    [
      'direct routing on the proxy engine',
      [{ ...web, real_servers: [{ address: '192.0.2.2', forward: 'route' }] }],
      [
        'services[0].real_servers[0].forward: direct routing (route) needs engine: nft; the proxy engine forwards as masq',
      ],
    ],
    [
      'duplicate virtual service, IPv6 spelt differently',
      [
        { address: '2001:DB8::1', port: 80 },
        { address: '2001:db8:0::1', port: 80 },
      ],
      ['services[1]: duplicate virtual service tcp [2001:db8::1]:80 (also services[0])'],
    ],
    [
      'duplicate name',
      [
        { name: 'web', ...web },
        { name: 'web', ...web, port: 443 },
      ],
      ['services[1].name: duplicate name "web" (also services[0])'],
    ],
    [
      'duplicate real server, port defaulted from the service',
      [{ ...web, real_servers: ['192.0.2.2', { address: '192.0.2.3' }, '192.0.2.2:80'] }],
      ['services[0].real_servers[2]: duplicate real server 192.0.2.2:80 (also real_servers[0])'],
    ],
    ['same real address, other ports', [{ ...web, real_servers: ['192.0.2.2:80', '192.0.2.2:81'] }], []],
    [
      'port 0 without persistence',
      [{ ...web, port: 0 }],
      ['services[0].port: port 0 (every port) is only allowed on a persistent service; add persistence'],
    ],
    ['port 0 with persistence', [{ ...web, port: 0, persistence: true }], []],
    [
      'unknown scheduler, near miss',
      [{ ...web, scheduler: 'wrrr' }],
      ['services[0].scheduler: unknown scheduler "wrrr" (did you mean "wrr"?)'],
    ],
    [
      'unknown scheduler, far off',
      [{ ...web, scheduler: 'random' }],
      [
        'services[0].scheduler: unknown scheduler "random" (known: rr, wrr, lc, wlc, sed, nq, lblc, lblcr, dh, sh, mh, fo, ovf)',
      ],
    ],
    [
      'every scheduler name is accepted',
      ['rr', 'ovf', 'lblcr', 'fo'].map((s, i) => ({ ...web, port: i + 1, scheduler: s })),
      [],
    ],
    [
      'flag for another scheduler',
      [{ ...web, scheduler: 'sh', scheduler_flags: ['sh-port', 'mh-port'] }],
      [
        'services[0].scheduler_flags[1]: flag "mh-port" is not valid for scheduler sh (sh takes sh-fallback, sh-port)',
      ],
    ],
    [
      'flag on a scheduler without flags',
      [{ ...web, scheduler_flags: ['sh-port'] }],
      ['services[0].scheduler_flags[0]: flag "sh-port" is not valid for scheduler wlc (wlc takes no flags)'],
    ],
    [
      'unknown flag',
      [{ ...web, scheduler: 'mh', scheduler_flags: ['mh-prot'] }],
      ['services[0].scheduler_flags[0]: unknown flag "mh-prot" (did you mean "mh-port"?)'],
    ],
    [
      'lower threshold above upper',
      [{ ...web, real_servers: [{ address: '192.0.2.2', upper_threshold: 10, lower_threshold: 11 }] }],
      ['services[0].real_servers[0].lower_threshold: 11 is greater than upper_threshold 10'],
    ],
    [
      'lower threshold without upper',
      [{ ...web, real_servers: [{ address: '192.0.2.2', lower_threshold: 5 }] }],
      ['services[0].real_servers[0].lower_threshold: 5 has no effect without upper_threshold'],
    ],
    [
      'lower equal to upper',
      [{ ...web, real_servers: [{ address: '192.0.2.2', upper_threshold: 8, lower_threshold: 8 }] }],
      [],
    ],
    ['one_packet on udp', [{ ...web, protocol: 'udp', one_packet: true }], []],
    [
      'one_packet on tcp',
      [{ ...web, one_packet: true }],
      ['services[0].one_packet: is only valid with protocol udp'],
    ],
    ['IPv4 dotted netmask', [{ ...web, persistence: { netmask: '255.255.255.0' } }], []],
    ['IPv4 prefix netmask', [{ ...web, persistence: { netmask: 24 } }], []],
    ['IPv6 prefix netmask', [{ address: '2001:db8::1', port: 80, persistence: { netmask: 64 } }], []],
    [
      'dotted netmask on IPv6',
      [{ address: '2001:db8::1', port: 80, persistence: { netmask: '255.255.255.0' } }],
      ['services[0].persistence.netmask: "255.255.255.0" is not a netmask (IPv6 service)'],
    ],
    [
      'IPv4 prefix too long',
      [{ ...web, persistence: { netmask: 33 } }],
      ['services[0].persistence.netmask: prefix /33 is longer than 32 (IPv4 service)'],
    ],
    [
      'non-contiguous netmask',
      [{ ...web, persistence: { netmask: '255.0.255.0' } }],
      ['services[0].persistence.netmask: "255.0.255.0" is not contiguous (IPv4 service)'],
    ],
  ];
  for (const [name, services, expected] of cases) assert.deepEqual(problems(...services), expected, name);
});

test('semantic: flags are tied to their scheduler', () => {
  assert.equal(flagProblem('sh', 'sh-fallback'), undefined);
  assert.equal(flagProblem('mh', 'mh-port'), undefined);
  assert.match(
    flagProblem('mh', 'sh-port') ?? '',
    /not valid for scheduler mh \(mh takes mh-fallback, mh-port\)/,
  );
});

test('semantic: the nft section needs engine: nft and a kernel mh table size', () => {
  const cases: Array<[string, 'proxy' | 'nft', unknown, string[]]> = [
    ['no section, proxy', 'proxy', undefined, []],
    ['no section, nft', 'nft', undefined, []],
    ['section on proxy', 'proxy', {}, ['nft: nft settings need engine: nft']],
    ['good size', 'nft', { mh_table_size: 4093 }, []],
    [
      'size not a kernel prime',
      'nft',
      { mh_table_size: 4000 },
      [
        "nft.mh_table_size: 4000 is not one of the kernel's mh table sizes (251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071)",
      ],
    ],
  ];
  for (const [name, engine, section, want] of cases)
    assert.deepEqual(checkEngine(engine, section).map(describeIssue), want, name);
});

/** The nft engine's checks; `scheduler: rr` unless the case names one (the default wlc is refused). */
function nftProblemsOf(...services: object[]): string[] {
  const indexed = services.map((raw, i) => indexService(serviceSchema.parse({ scheduler: 'rr', ...raw }), i));
  return checkServices(indexed, 'nft').map(describeIssue);
}

test('semantic: the nft engine refuses what it cannot do, at the field', () => {
  const route = (address: string, extra: object = {}) => ({ address, forward: 'route', ...extra });
  const cases: Array<[string, object, string[]]> = [
    ['NAT service', { ...web, real_servers: ['192.0.2.2', '192.0.2.3'] }, []],
    ['DR service', { ...web, real_servers: [route('192.0.2.2'), route('192.0.2.3')] }, []],
    ['masquerade on NAT', { ...web, masquerade: true, real_servers: ['192.0.2.2'] }, []],
    [
      'lc',
      { ...web, scheduler: 'lc', real_servers: ['192.0.2.2'] },
      [
        'services[0].scheduler: scheduler lc is not available in the nft engine (it needs per-connection counts at every new connection); use rr, wrr, sh, dh, mh, fo or the proxy engine',
      ],
    ],
    [
      'proxy protocol',
      { ...web, proxy_protocol: 'v1' },
      ['services[0].proxy_protocol: the PROXY protocol needs the proxy engine'],
    ],
    [
      'passive health',
      { ...web, passive_health: true },
      ['services[0].passive_health: passive health watches proxied connections; it needs the proxy engine'],
    ],
    [
      'one packet',
      { ...web, protocol: 'udp', one_packet: true },
      ['services[0].one_packet: one-packet scheduling (-o) is not available in the nft engine'],
    ],
    [
      'tunnel',
      { ...web, real_servers: [{ address: '192.0.2.2', forward: 'tunnel' }] },
      ['services[0].real_servers[0].forward: tunnelling (-i) is not offered: this kernel has no IPIP'],
    ],
    [
      'mixed methods',
      { ...web, real_servers: [route('192.0.2.2'), '192.0.2.3'] },
      [
        'services[0].real_servers[1].forward: its real servers mix NAT (-m, masq) and direct routing (-g, route); use one method per service',
      ],
    ],
    [
      'DR to another port',
      { ...web, real_servers: [route('192.0.2.2', { port: 8080 })] },
      [
        "services[0].real_servers[0].port: direct routing cannot change the port (the service's is 80); leave it out, or use masq for port mapping",
      ],
    ],
    [
      'thresholds',
      { ...web, real_servers: [{ address: '192.0.2.2', upper_threshold: 10 }] },
      [
        'services[0].real_servers[0].upper_threshold: real server 192.0.2.2:80: connection thresholds (-x/-y) are not enforced by the nft engine; use the proxy engine',
      ],
    ],
    [
      'masquerade on DR',
      { ...web, masquerade: true, real_servers: [route('192.0.2.2')] },
      [
        'services[0].masquerade: applies to NAT (forward: masq); direct routing (route) never rewrites addresses',
      ],
    ],
    [
      'family mismatch',
      { ...web, real_servers: ['2001:db8::2'] },
      [
        "services[0].real_servers[0].address: real server [2001:db8::2]:80 is not of the virtual address's family",
      ],
    ],
  ];
  for (const [name, svc, want] of cases) assert.deepEqual(nftProblemsOf(svc), want, name);
});

test('semantic: masquerade is an nft setting', () => {
  assert.deepEqual(problems({ ...web, masquerade: false }), [
    'services[0].masquerade: is a setting of engine: nft (the proxy engine always connects from the director)',
  ]);
});
