import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { importLdirectord } from './import-ldirectord.ts';

type Svc = Record<string, unknown> & {
  check: Record<string, unknown>;
  real_servers: Record<string, unknown>[];
};

function imported(text: string): {
  config: { services: Svc[]; health: Record<string, unknown> };
  yaml: string;
} {
  const r = importLdirectord(text, 'ld.cf');
  assert.ok(r.ok, r.ok ? '' : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`).join('\n'));
  return { config: parse(r.yaml), yaml: r.yaml };
}

const one = (text: string): Svc => imported(text).config.services[0] as Svc;
const block = (...lines: string[]) => `virtual=192.0.2.1:80\n${lines.map((l) => `\t${l}\n`).join('')}`;

describe('ldirectord.cf → native config', () => {
  it('later-ldirectord defaults: wrr, tcp, negotiate http by port 80, ldirectord timing', () => {
    const { config, yaml } = imported(block('real=192.0.2.2:80 masq'));
    const s = config.services[0] as Svc;
    assert.equal(s.scheduler, 'wrr');
    assert.equal(s.protocol, 'tcp');
    assert.deepEqual(s.check, { type: 'http' });
    assert.deepEqual(s.real_servers, [{ address: '192.0.2.2', port: 80, weight: 1, forward: 'masq' }]);
    assert.equal(config.health.ldirectord_defaults, true);
    assert.match(yaml, /scheduler: wrr # ldirectord's default/);
  });

  const checks: ReadonlyArray<readonly [string, string[], Record<string, unknown>]> = [
    ['service by port 443', [], { type: 'https' }],
    ['checktype connect', ['checktype=connect'], { type: 'connect' }],
    ['checktype off', ['checktype=off'], { type: 'off' }],
    ['checktype on', ['checktype=on'], { type: 'on' }],
    ['external, default /bin/true', ['checktype=external'], { type: 'external', command: '/bin/true' }],
    [
      'external with command',
      ['checktype=external', 'checkcommand="/bin/x"'],
      { type: 'external', command: '/bin/x' },
    ],
    ['service=none', ['service=none'], { type: 'none' }],
    [
      'simpletcp',
      ['service=simpletcp', 'request="PING\\n"', 'receive="PONG"'],
      { type: 'tcp', request: 'PING\\n', receive: 'PONG' },
    ],
    ['unsupported service', ['service=nntp'], { type: 'connect' }],
    [
      'timing and port',
      ['checkinterval=7', 'checktimeout=2', 'negotiatetimeout=9', 'failurecount=4', 'checkport=8443'],
      { type: 'https', interval: '7s', timeout: '2s', negotiate_timeout: '9s', failure_count: 4, port: 8443 },
    ],
    [
      'http settings',
      ['service=http', 'request="x.html"', 'receive="ok"', 'httpmethod=get', 'virtualhost=www.example.com'],
      { type: 'http', request: '/x.html', receive: 'ok', method: 'GET', virtualhost: 'www.example.com' },
    ],
    [
      'a full URL request keeps its path',
      ['service=http', 'request="http://h:81/a?b"'],
      { type: 'http', request: '/a?b' },
    ],
    [
      'settings a probe does not read are dropped',
      ['checktype=connect', 'request="/x"'],
      { type: 'connect' },
    ],
  ];
  for (const [name, lines, want] of checks) {
    it(`check: ${name}`, () => {
      const s = one(
        `virtual=192.0.2.1:443\n\treal=192.0.2.2:443 masq\n${lines.map((l) => `\t${l}\n`).join('')}`,
      );
      assert.deepEqual(s.check, want);
    });
  }

  it('globals are inherited and overridden per virtual', () => {
    const { config } = imported(
      'checkinterval=5\nquiescent=yes\nfallback=127.0.0.1\nvirtual=192.0.2.1:80\n\treal=192.0.2.2:80 masq\n\tquiescent=no\nvirtual=192.0.2.1:81\n\treal=192.0.2.2:81 masq\n\tcheckinterval=2\n',
    );
    const [a, b] = config.services as [Svc, Svc];
    assert.equal(a.check.interval, '5s');
    assert.equal(b.check.interval, '2s');
    assert.equal(a.quiescent, false);
    assert.equal(b.quiescent, true);
    assert.equal(a.fallback, '127.0.0.1');
  });

  it('gate and ipip become masq with a comment; their port is the virtual port', () => {
    const { config, yaml } = imported(block('real=192.0.2.2:8080 gate', 'real=192.0.2.3 ipip 2'));
    const reals = (config.services[0] as Svc).real_servers;
    assert.deepEqual(reals, [
      { address: '192.0.2.2', port: 80, weight: 1, forward: 'masq' },
      { address: '192.0.2.3', port: 80, weight: 2, forward: 'masq' },
    ]);
    assert.match(yaml, /forward: masq # was gate \(direct routing\)/);
    assert.match(yaml, /port: 80 # written 8080; ldirectord forces the virtual port for gate/);
    assert.match(yaml, /forward: masq # was ipip \(tunnel\)/);
  });

  it('ranges, thresholds and per-real check strings', () => {
    const s = one(
      block('real=192.0.2.2-192.0.2.3:80 masq 3 "<l:5>" "<u:50>"', 'real=192.0.2.9:80 masq 1 "up.html" "UP"'),
    );
    assert.deepEqual(
      s.real_servers.map((r) => [r.address, r.weight, r.lower_threshold, r.upper_threshold]),
      [
        ['192.0.2.2', 3, 5, 50],
        ['192.0.2.3', 3, 5, 50],
        ['192.0.2.9', 1, undefined, undefined],
      ],
    );
    assert.equal(s.check.request, '/up.html');
    assert.equal(s.check.receive, 'UP');
  });

  it('persistence, netmask, ops, servicename, protocol udp by port 53', () => {
    const s = one(
      block('real=192.0.2.2:80 masq', 'persistent=600', 'netmask=255.255.255.0', 'servicename=web'),
    );
    assert.deepEqual(s.persistence, { timeout: '600s', netmask: '255.255.255.0' });
    assert.equal(s.name, 'web');
    const d = one('virtual=192.0.2.1:53\n\treal=192.0.2.2:53 masq\n\tops=yes\n\trequest="example.com"\n');
    assert.equal(d.protocol, 'udp');
    assert.equal(d.one_packet, true);
    assert.equal(d.check.type, 'dns');
  });

  it('no equivalent → a comment naming the line; maintenancedir → health', () => {
    const { config, yaml } = imported(
      `emailalert="a@b"\nmaintenancedir=/m\nlogfile="local0"\n${block('real=192.0.2.2:80 masq', 'monitorfile="/x"')}`,
    );
    assert.equal(config.health.maintenance_dir, '/m');
    assert.match(
      yaml,
      /# ld\.cf:1: emailalert="a@b": no equivalent \(webfarm sends no mail\); use health\.alerts\.webhook/,
    );
    assert.match(yaml, /# ld\.cf:3: logfile="local0": no equivalent/);
    assert.match(yaml, /# monitorfile="\/x": no equivalent/);
  });

  it('fwmark virtuals are skipped with a comment; IPv6 blocks work', () => {
    const { config, yaml } = imported(
      'virtual=7\n\treal=192.0.2.2 gate\nvirtual6=[2001:db8::1]:80\n\treal6=[2001:db8::2]:80 masq\n',
    );
    assert.equal(config.services.length, 1);
    assert.equal(config.services[0]?.address, '2001:db8::1');
    assert.match(yaml, /virtual=7: firewall-mark services have no equivalent/);
  });

  const errors: ReadonlyArray<readonly [string, string, string]> = [
    [
      'unknown scheduler',
      block('real=192.0.2.2:80 masq', 'scheduler=wrrr'),
      '3:12: unknown scheduler "wrrr" (did you mean "wrr"?)',
    ],
    [
      'host name',
      'virtual=www.example.com:80\n',
      '1:9: virtual: "www.example.com" is not an IP address (webfarm import does not resolve host names)',
    ],
    ['no port', 'virtual=192.0.2.1\n', '1:9: virtual: "192.0.2.1" has no port'],
    ['protocol', block('protocol=sctp'), '2:11: protocol "sctp" is not tcp or udp'],
    [
      'bad real',
      block('real=192.0.2.2:80 gate 1 x'),
      '2:27: real: unexpected "x" (request and receive must be quoted)',
    ],
    [
      'native rule mapped back: receive regex',
      block('real=192.0.2.2:80 masq', 'receive="ok("'),
      /3:10: services\[0\]\.check\.receive: invalid regular expression: .* \(in the imported config\)/.source,
    ],
    [
      'native rule mapped back: duplicate real',
      block('real=192.0.2.2:80 masq', 'real=192.0.2.2:80 masq'),
      '3:7: services[0].real_servers[1]: duplicate real server 192.0.2.2:80 (also real_servers[0]) (in the imported config)',
    ],
  ];
  for (const [name, text, want] of errors) {
    it(`error: ${name}`, () => {
      const r = importLdirectord(text, 'ld.cf');
      assert.equal(r.ok, false);
      if (r.ok) return;
      const got = r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
      if (want.includes('\\')) assert.match(got[0] ?? '', new RegExp(want));
      else assert.deepEqual(got, [want]);
      assert.ok(r.issues.every((i) => i.file === 'ld.cf'));
    });
  }
});
