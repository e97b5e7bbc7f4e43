import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PortNames } from './address.ts';
import { parseIpvsadm } from './parse.ts';

const names: PortNames = {
  port: (n, p) => (n === 'http' ? 80 : n === 'domain' && p === 'udp' ? 53 : undefined),
  name: () => undefined,
};
const parse = (line: string) => parseIpvsadm(line.split(' ').filter(Boolean), names);
const command = (line: string) => {
  const r = parse(line);
  assert.ok(r.ok, `${line}: ${r.ok ? '' : r.stderr}`);
  return r.command;
};
const TRY = "Try `webfarm ipvsadm -h' or 'webfarm ipvsadm --help' for more information.\n";

test('services: defaults and options (scheduler wlc, -p 300, -M as prefix)', () => {
  const cases: Array<[string, unknown]> = [
    [
      '-A -t 10.0.0.1:80',
      {
        kind: 'add-service',
        service: { protocol: 'tcp', address: '10.0.0.1', port: 80 },
        settings: { scheduler: 'wlc', flags: [], persistence: undefined, onePacket: false },
      },
    ],
    [
      '--add-service --tcp-service=10.0.0.1:http --scheduler rr --persistent',
      {
        kind: 'add-service',
        service: { protocol: 'tcp', address: '10.0.0.1', port: 80 },
        settings: {
          scheduler: 'rr',
          flags: [],
          persistence: { timeoutS: 300, prefix: 32 },
          onePacket: false,
        },
      },
    ],
    [
      '-E -u 10.0.0.1:domain -s sh -b sh-port,flag-1 -p 600 -M 255.255.255.0 -o',
      {
        kind: 'edit-service',
        service: { protocol: 'udp', address: '10.0.0.1', port: 53 },
        settings: {
          scheduler: 'sh',
          flags: ['sh-port', 'sh-fallback'],
          persistence: { timeoutS: 600, prefix: 24 },
          onePacket: true,
        },
      },
    ],
    [
      '-At [2001:DB8::1]:443 -p600 -M 64',
      {
        kind: 'add-service',
        service: { protocol: 'tcp', address: '2001:db8::1', port: 443 },
        settings: {
          scheduler: 'wlc',
          flags: [],
          persistence: { timeoutS: 600, prefix: 64 },
          onePacket: false,
        },
      },
    ],
    [
      '-A -t 10.0.0.1 -p',
      {
        kind: 'add-service',
        service: { protocol: 'tcp', address: '10.0.0.1', port: 0 },
        settings: {
          scheduler: 'wlc',
          flags: [],
          persistence: { timeoutS: 300, prefix: 32 },
          onePacket: false,
        },
      },
    ],
    [
      '-D -t 10.0.0.1:80',
      { kind: 'delete-service', service: { protocol: 'tcp', address: '10.0.0.1', port: 80 } },
    ],
    ['-C', { kind: 'clear' }],
    ['--clear', { kind: 'clear' }],
    ['-R', { kind: 'restore' }],
    ['-S -n', { kind: 'save', numeric: true }],
    ['-Sn', { kind: 'save', numeric: true }],
    ['--set 900 0 300', { kind: 'set-timeouts', tcpS: 900, tcpFinS: 0, udpS: 300 }],
    ['-Z', { kind: 'zero', service: undefined }],
    ['-Z -t 10.0.0.1:80', { kind: 'zero', service: { protocol: 'tcp', address: '10.0.0.1', port: 80 } }],
    ['-h', { kind: 'help' }],
    ['--help --bogus', { kind: 'help' }],
    ['-v', { kind: 'version' }],
  ];
  for (const [line, want] of cases) assert.deepEqual(command(line), want, line);
});

test('real servers: weight 1, no method (engine decides), -g/-i force the virtual port', () => {
  const svc = { protocol: 'tcp', address: '10.0.0.1', port: 80 };
  const cases: Array<[string, unknown]> = [
    [
      '-a -t 10.0.0.1:80 -r 10.0.0.2:8080',
      {
        kind: 'add-server',
        service: svc,
        server: { address: '10.0.0.2', port: 8080 },
        settings: { forward: undefined, weight: 1, upperThreshold: 0, lowerThreshold: 0 },
      },
    ],
    [
      '-a -t 10.0.0.1:80 -r 10.0.0.2 -m -w 0 -x 100 -y 50',
      {
        kind: 'add-server',
        service: svc,
        server: { address: '10.0.0.2', port: 80 },
        settings: { forward: 'masq', weight: 0, upperThreshold: 100, lowerThreshold: 50 },
      },
    ],
    [
      '--edit-server -t 10.0.0.1:80 --real-server 10.0.0.2:8080 --gatewaying',
      {
        kind: 'edit-server',
        service: svc,
        server: { address: '10.0.0.2', port: 80 },
        settings: { forward: 'route', weight: 1, upperThreshold: 0, lowerThreshold: 0 },
      },
    ],
    [
      '-d -t 10.0.0.1:80 -r 10.0.0.2:8080',
      { kind: 'delete-server', service: svc, server: { address: '10.0.0.2', port: 8080 } },
    ],
  ];
  for (const [line, want] of cases) assert.deepEqual(command(line), want, line);
});

test('list: views and format switches', () => {
  const c = command('-L -n --stats --exact --nosort --sort');
  assert.ok(c.kind === 'list');
  assert.equal(c.view, 'services');
  assert.deepEqual(
    [c.format.numeric, c.format.stats, c.format.exact, c.format.nosort, c.format.rate],
    [true, true, true, true, false],
  );
  const views: Array<[string, string]> = [
    ['-Ln', 'services'],
    ['-l -c', 'connections'],
    ['-L --timeout', 'timeout'],
    ['-L --daemon', 'daemon'],
    ['-L -t 10.0.0.1:80 --rate', 'services'],
  ];
  for (const [line, view] of views) {
    const x = command(line);
    assert.ok(x.kind === 'list' && x.view === view, line);
  }
  const implicit = parseIpvsadm([]);
  assert.ok(implicit.ok && implicit.command.kind === 'list' && implicit.command.implicit);
});

test('refusals: ipvsadm messages, exit 2 for bad arguments, 255 for option syntax', () => {
  const cases: Array<[string, string, number]> = [
    ['-t 10.0.0.1:80 -A', TRY, 255],
    ['bogus', TRY, 255],
    ['--bogus', TRY, 255],
    ['-L --bogus', '--bogus: unknown option\n', 255],
    ['-LQ', '-LQ: unknown option\n', 255],
    ['-A -t', '-t: missing argument\n', 255],
    ['-L --stats=1', '--stats=1: option does not take an argument\n', 255],
    ['-A -t 10.0.0.1:80 -L', "invalid option `-L'\n", 2],
    ['-A -t 10.0.0.1:99999', 'illegal virtual server address[:port] specified\n', 2],
    ['-A -t 80', 'illegal virtual server address[:port] specified\n', 2],
    ['-A -t example.org:80', 'illegal virtual server address[:port] specified\n', 2],
    ['-A -t [::1]', 'illegal virtual server address[:port] specified\n', 2],
    ['-A -t 10.0.0.1:80 -t 10.0.0.1:81', "multiple 'service-address' options specified\n", 2],
    ['-A -s rr', "You need to supply the 'service-address' option for the 'add-service' command\n", 2],
    ['-A -t 10.0.0.1:80 -w 3', "Illegal 'weight' option with the 'add-service' command\n", 2],
    ['-a -t 10.0.0.1:80', "You need to supply the 'real-server' option for the 'add-server' command\n", 2],
    ['-a -t 10.0.0.1:80 -r 10.0.0.2 -w 65536', 'illegal weight specified\n', 2],
    ['-a -t 10.0.0.1:80 -r 10.0.0.2 -x -1', 'illegal u_threshold specified\n', 2],
    ['-a -t 10.0.0.1:80 -r 10.0.0.2 -y z', 'illegal l_threshold specified\n', 2],
    ['-a -t 10.0.0.1:80 -r 10.0.0.2 -m -g', "multiple 'forwarding-method' options specified\n", 2],
    ['-a -t 10.0.0.1:80 -r nowhere', 'illegal real server address[:port] specified\n', 2],
    [
      '-a -t 10.0.0.1:80 -r [::2]:80 -m',
      'Different address family is allowed only for tunneling servers\n',
      2,
    ],
    ['-a -t 10.0.0.1:80 -r 10.0.0.2 --tun-csum', 'Tunnel options conflict with forward method\n', 2],
    ['-A -t 10.0.0.1:0', 'Zero port specified for non-persistent service\n', 2],
    ['-A -t 10.0.0.1:53 -o', 'One-Packet Scheduling is only for UDP virtual services\n', 2],
    ['-A -t 10.0.0.1:80 -p 0', "invalid timeout value `0' specified\n", 2],
    ['-A -t 10.0.0.1:80 -p 2678401', "invalid timeout value `2678401' specified\n", 2],
    ['-A -t 10.0.0.1:80 -p -M 255.0.255.0', 'illegal virtual server persistent mask specified\n', 2],
    ['-A -t [::1]:80 -p -M 129', 'illegal ipv6 netmask specified\n', 2],
    ['-A -t 10.0.0.1:80 -s rr -b sh-port', "incompatible scheduler flag `sh-port'\n", 2],
    ['-A -t 10.0.0.1:80 -b sticky', "invalid scheduler flag `sticky'\n", 2],
    ['-L -c --stats', 'options conflicts in the list command\n', 2],
    ['-L --timeout --persistent-conn', 'options conflicts in the list command\n', 2],
    [
      '-L -c -t 10.0.0.1:80',
      "The option 'service-address' conflicts with the 'connection' option in the 'list' command\n",
      2,
    ],
    ['-L -s rr', "Illegal 'scheduler' option with the 'list' command\n", 2],
    ['-C -n', "Illegal 'numeric' option with the 'flush' command\n", 2],
    ['--set 900 120', '--set option requires 3 timeout values\n', 2],
    ['--set 900 120 x', "invalid timeout value `x' specified\n", 2],
    ['--set 1 2 3 4', 'unexpected argument 4\n', 2],
    ['-L extra', 'unexpected argument extra\n', 2],
    ['-S -c', "Illegal 'connection' option with the 'save' command\n", 2],
    ['-A -f 1', 'fwmark services (-f)', 2],
    ['-A --sctp-service 10.0.0.1:80', 'SCTP services', 2],
    ['-A -t 10.0.0.1:80 --pe sip', 'persistence engines (--pe)', 2],
    ['--start-daemon master', 'connection sync daemons', 2],
    ['-L -6', '-6 used before -f\n\n', 2],
  ];
  for (const [line, stderr, exit] of cases) {
    const r = parse(line);
    assert.ok(!r.ok, `${line} should be refused`);
    if (stderr.endsWith('\n')) assert.equal(r.stderr, stderr, line);
    else assert.ok(r.stderr.startsWith(stderr) && r.stderr.endsWith('\n'), `${line}: ${r.stderr}`);
    assert.equal(r.exit, exit, line);
  }
});
