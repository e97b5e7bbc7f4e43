import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatIssue } from './issue.ts';
import { loadConfig, parseConfig } from './load.ts';

function errors(text: string): string[] {
  const r = parseConfig(text, 'f.yaml');
  return r.ok ? [] : r.issues.map(formatIssue);
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;

test('load: a minimal file gets every default', () => {
  const r = parseConfig(
    lines('services:', '  - address: 192.0.2.240', '    port: 80', '    real_servers: [192.0.2.2]'),
    'f',
  );
  assert.ok(r.ok);
  assert.deepEqual(r.config, {
    engine: 'proxy',
    timeouts: { tcp: 900_000, tcpfin: 120_000, udp: 300_000 },
    admin: {},
    health: { start_up: false, ldirectord_defaults: false, alerts: {} },
    services: [
      {
        protocol: 'tcp',
        address: '192.0.2.240',
        port: 80,
        scheduler: 'wlc',
        scheduler_flags: [],
        expire_quiescent_template: false,
        one_packet: false,
        proxy_protocol: 'off',
        connect: { timeout: 5000, retries: 2, redispatch: true },
        real_servers: [
          { address: '192.0.2.2', weight: 1, upper_threshold: 0, lower_threshold: 0, forward: 'masq' },
        ],
        quiescent: false,
      },
    ],
  });
});

test('load: shorthand real servers, IPv6 canonical form, durations, persistence: true', () => {
  const r = parseConfig(
    lines(
      'timeouts: { tcp: 15m, udp: 45 }',
      'services:',
      '  - address: 2001:DB8:0::10',
      '    port: 443',
      '    persistence: true',
      '    proxy_protocol: false',
      '    real_servers: ["[2001:db8::2]:8443", 192.0.2.3:80, 192.0.2.4]',
    ),
    'f',
  );
  assert.ok(r.ok);
  const s = r.config.services[0]!;
  assert.equal(r.config.timeouts.tcp, 900_000);
  assert.equal(r.config.timeouts.udp, 45_000);
  assert.equal(s.address, '2001:db8::10');
  assert.deepEqual(s.persistence, { timeout: 300_000 });
  assert.equal(s.proxy_protocol, 'off');
  assert.deepEqual(
    s.real_servers.map((x) => [x.address, x.port]),
    [
      ['2001:db8::2', 8443],
      ['192.0.2.3', 80],
      ['192.0.2.4', undefined],
    ],
  );
});

test('load: every problem is reported with FILE:LINE:COL and the field', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'empty file',
      '',
      ['f.yaml:1:1: the file is empty; expected a mapping with a "services" list (see docs/config.md)'],
    ],
    [
      'only comments',
      '# nothing\n',
      ['f.yaml:1:1: the file is empty; expected a mapping with a "services" list (see docs/config.md)'],
    ],
    [
      'top level list',
      '- a\n',
      ['f.yaml:1:1: expected a mapping (engine, timeouts, admin, services) at the top level, got a list'],
    ],
    ['missing services', 'engine: proxy\n', ['f.yaml:1:1: services: is required']],
    [
      'YAML syntax',
      lines('services:', '  - address: [192.0.2.1', 'x: 1'),
      [
        'f.yaml:3:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ],
    [
      'duplicate key',
      lines('services: []', 'services: []'),
      ['f.yaml:2:1: YAML syntax: Map keys must be unique'],
    ],
    [
      'two documents',
      lines('services: []', '---', 'services: []'),
      ['f.yaml:2:1: YAML syntax: the file holds more than one YAML document ("---"); use one'],
    ],
    [
      'unknown keys, on the key, with a suggestion',
      lines('servics: []', 'timeouts: { tcp: 1s, colour: red }'),
      [
        'f.yaml:1:1: services: is required',
        'f.yaml:1:1: servics: unknown key (did you mean "services"?)',
        'f.yaml:2:22: timeouts.colour: unknown key (expected one of: tcp, tcpfin, udp)',
      ],
    ],
    [
      'types, ranges, enums, durations, addresses',
      lines(
        'engine: kernel',
        'timeouts: { tcp: -1s, udp: soon }',
        'services:',
        '  - address: www.example.com',
        '    port: "80"',
        '    protocol: sctp',
        '    connect: { timeout: 0s, retries: 1.5 }',
        '    persistence: 300',
        '    real_servers:',
        '      - { address: 192.0.2.2, weight: 70000, forward: gate }',
        '      - 42',
        '      - { port: 80 }',
      ),
      [
        'f.yaml:1:9: engine: "kernel" is not one of: proxy, nft',
        'f.yaml:2:18: timeouts.tcp: "-1s": a duration cannot be negative',
        'f.yaml:2:28: timeouts.udp: "soon" is not a duration (use a number with a unit: 500ms, 2s, 5m, 1h; a bare number means seconds)',
        'f.yaml:4:14: services[0].address: "www.example.com" is not an IPv4 or IPv6 address',
        'f.yaml:5:11: services[0].port: expected a number, got "80"',
        'f.yaml:6:15: services[0].protocol: "sctp" is not one of: tcp, udp',
        'f.yaml:7:25: services[0].connect.timeout: "0s" must be greater than 0',
        'f.yaml:7:38: services[0].connect.retries: 1.5 is not a whole number',
        'f.yaml:8:18: services[0].persistence: expected true, false or a mapping {timeout, netmask}, got 300',
        'f.yaml:10:39: services[0].real_servers[0].weight: 70000 is out of range 0..65535',
        'f.yaml:10:55: services[0].real_servers[0].forward: "gate" is not one of: masq, route, tunnel',
        'f.yaml:11:9: services[0].real_servers[1]: expected a mapping {address, port, weight, ...} or "ADDRESS:PORT", got 42',
        'f.yaml:12:9: services[0].real_servers[2].address: is required',
      ],
    ],
    [
      'cross-field checks still run beside schema errors',
      lines(
        'services:',
        '  - address: 192.0.2.240',
        '    port: 0',
        '    bogus: 1',
        '    real_servers: [192.0.2.2, { address: 192.0.2.3, weight: -1 }, 192.0.2.2]',
        '  - { address: 192.0.2.240, port: 0, scheduler: nope }',
      ),
      [
        'f.yaml:3:11: services[0].port: port 0 (every port) is only allowed on a persistent service; add persistence',
        'f.yaml:4:5: services[0].bogus: unknown key (expected one of: name, protocol, address, port, scheduler, scheduler_flags, persistence, expire_quiescent_template, one_packet, proxy_protocol, connect, real_servers, check, quiescent, fallback, fallback_command, passive_health, masquerade)',
        'f.yaml:5:61: services[0].real_servers[1].weight: -1 is out of range 0..65535',
        'f.yaml:5:67: services[0].real_servers[2]: duplicate real server 192.0.2.2:0 (also real_servers[0])',
        'f.yaml:6:5: services[1]: duplicate virtual service tcp 192.0.2.240:0 (also services[0])',
        'f.yaml:6:35: services[1].port: port 0 (every port) is only allowed on a persistent service; add persistence',
        'f.yaml:6:49: services[1].scheduler: unknown scheduler "nope" (known: rr, wrr, lc, wlc, sed, nq, lblc, lblcr, dh, sh, mh, fo, ovf)',
      ],
    ],
    [
      'engine nft: its refusals at the field',
      lines(
        'engine: nft',
        'nft: { mh_table_size: 1000, numgen: sometimes }',
        'services:',
        '  - address: 192.0.2.240',
        '    port: 80',
        '    scheduler: wlc',
        '    masquerade: true',
        '    real_servers: [{ address: 192.0.2.2, forward: route, port: 8080 }, 192.0.2.3]',
      ),
      [
        "f.yaml:2:23: nft.mh_table_size: 1000 is not one of the kernel's mh table sizes (251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071)",
        'f.yaml:2:37: nft.numgen: "sometimes" is not one of: inc, random',
        'f.yaml:6:16: services[0].scheduler: scheduler wlc is not available in the nft engine (it needs per-connection counts at every new connection); use rr, wrr, sh, dh, mh, fo or the proxy engine',
        'f.yaml:7:17: services[0].masquerade: applies to NAT (forward: masq); direct routing (route) never rewrites addresses',
        "f.yaml:8:64: services[0].real_servers[0].port: direct routing cannot change the port (the service's is 80); leave it out, or use masq for port mapping",
        'f.yaml:8:72: services[0].real_servers[1].forward: its real servers mix NAT (-m, masq) and direct routing (-g, route); use one method per service',
      ],
    ],
    [
      'engine proxy: route names the nft engine; nft settings refused',
      lines(
        'nft: { table: wf }',
        'services:',
        '  - { address: 192.0.2.240, port: 80, real_servers: [{ address: 192.0.2.2, forward: route }] }',
      ),
      [
        'f.yaml:1:1: nft: nft settings need engine: nft',
        'f.yaml:3:85: services[0].real_servers[0].forward: direct routing (route) needs engine: nft; the proxy engine forwards as masq',
      ],
    ],
  ];
  for (const [name, text, expected] of cases) assert.deepEqual(errors(text), expected, name);
});

test('load: x- keys hold anchors that `<<` merges in; merged values are validated too', () => {
  const text = lines(
    'x-real: &real { weight: 5, forward: masq }',
    'services:',
    '  - address: 192.0.2.240',
    '    port: 80',
    '    real_servers:',
    '      - { <<: *real, address: 192.0.2.2 }',
    '      - { <<: *real, address: 192.0.2.3, weight: 7 }',
  );
  const r = parseConfig(text, 'f');
  assert.ok(r.ok);
  assert.deepEqual(
    r.config.services[0]?.real_servers.map((x) => [x.address, x.weight, x.forward]),
    [
      ['192.0.2.2', 5, 'masq'],
      ['192.0.2.3', 7, 'masq'],
    ],
  );
  const bad = text.replace('weight: 5', 'weight: 70000').replace(', weight: 7', '');
  assert.deepEqual(errors(bad), [
    'f.yaml:6:9: services[0].real_servers[0].weight: 70000 is out of range 0..65535',
    'f.yaml:7:9: services[0].real_servers[1].weight: 70000 is out of range 0..65535',
  ]);
});

test('load: an alias bomb is refused, not expanded', () => {
  const bomb = lines(
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'services: []',
  );
  const out = errors(bomb);
  assert.equal(out.length, 1);
  assert.match(out[0]!, /^f\.yaml:1:1: cannot read the document: .*alias/i);
});

test('load: files that cannot be read give one line without a position', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'webfarm-config-'));
  try {
    const missing = join(dir, 'nope.yaml');
    const r = await loadConfig(missing);
    assert.ok(!r.ok);
    assert.deepEqual(r.issues.map(formatIssue), [
      `cannot read ${missing}: ENOENT: no such file or directory`,
    ]);
    const dirResult = await loadConfig(dir);
    assert.ok(!dirResult.ok);
    assert.match(formatIssue(dirResult.issues[0]!), /^cannot read .*: EISDIR/);
    const ok = join(dir, 'ok.yaml');
    writeFileSync(ok, 'services: []\n');
    assert.equal((await loadConfig(ok)).ok, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
