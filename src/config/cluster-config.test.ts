import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterHost } from './cluster-host.ts';
import { type ParseOptions, parseConfig } from './load.ts';
import { toDirector } from './to-director.ts';

/** A host with eth0 and lo, /dev/ttyS0, and key files of the given modes. */
function host(files: Record<string, { mode: number; text: string }> = {}): ClusterHost {
  return {
    interfaceNames: () => ['lo', 'eth0'],
    pathExists: (p) => p === '/dev/ttyS0',
    fileMode: (p) => files[p]?.mode,
    readFile: (p) => files[p]?.text,
  };
}

const KEYS = {
  '/etc/webfarm/key': { mode: 0o100600, text: 'secret\n' },
  '/etc/webfarm/loose': { mode: 0o100644, text: 'secret\n' },
  '/etc/ha.d/authkeys': { mode: 0o100600, text: 'auth 1\n1 sha1 s3cret\n' },
  '/etc/ha.d/bad-authkeys': { mode: 0o100600, text: 'auth 2\n1 sha1 s3cret\n' },
};
const opts = (h: ClusterHost = host(KEYS)): ParseOptions => ({
  clusterHost: h,
  isExecutable: (c) => c === '/bin/true',
});

const BASE = `services: []
cluster:
  node: director1
  nodes: [director1, director2]
  media:
    - { type: bcast, device: eth0 }
  auth: { key: secret }
`;

function errors(text: string, o: ParseOptions = opts()): string[] {
  const r = parseConfig(text, 'f.yaml', o);
  return r.ok ? [] : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
}

describe('cluster: section', () => {
  it('the complete example → ClusterPlan with defaults', () => {
    const r = parseConfig(
      `services: []
cluster:
  node: director1
  nodes: [director1, director2]
  media:
    - { type: ucast, device: eth0, peer: 192.168.6.5 }
    - { type: bcast, device: eth0, port: 695 }
    - { type: mcast, device: eth0, group: 225.0.0.1, ttl: 2, loop: true }
    - { type: serial, device: /dev/ttyS0, baud: 19200 }
  timing: { keepalive: 200ms, deadtime: 1s }
  auth: { method: sha1, key_file: /etc/webfarm/key }
  auto_failback: false
  resource_groups:
    - preferred: director1
      resources:
        - ipaddr: 192.168.6.240/24
        - services: true
        - script: { path: /bin/true, args: [a, b] }
  ping_nodes: [192.168.6.254]
  stonith: { command: [/bin/true, -t, baytech] }
  generation_file: /var/lib/webfarm/generation
`,
      'f.yaml',
      opts(),
    );
    assert.ok(r.ok, r.ok ? '' : r.issues.map((i) => i.message).join('\n'));
    const plan = toDirector(r.config).cluster;
    assert.deepEqual(plan, {
      node: 'director1',
      nodes: ['director1', 'director2'],
      media: [
        { type: 'ucast', device: 'eth0', peer: '192.168.6.5', port: 694 },
        { type: 'bcast', device: 'eth0', port: 695 },
        { type: 'mcast', device: 'eth0', group: '225.0.0.1', port: 694, ttl: 2, loop: true },
        { type: 'serial', device: '/dev/ttyS0', baud: 19200 },
      ],
      timing: { keepaliveMs: 200, warntimeMs: 500, deadtimeMs: 1000, initdeadMs: 2000 },
      auth: { kind: 'key_file', method: 'sha1', path: '/etc/webfarm/key' },
      autoFailback: false,
      groups: [
        {
          key: 'ipaddr 192.168.6.240',
          preferred: 'director1',
          resources: [
            { kind: 'ipaddr', address: '192.168.6.240', prefix: 24, arpCount: 5, arpIntervalMs: 200 },
            { kind: 'services' },
            { kind: 'script', path: '/bin/true', args: ['a', 'b'] },
          ],
        },
      ],
      pingNodes: ['192.168.6.254'],
      stonith: { command: ['/bin/true', '-t', 'baytech'], retryIntervalMs: 5000 },
      generationFile: '/var/lib/webfarm/generation',
    });
  });

  it('defaults: sub-second timing, sha256, auto_failback on; no cluster → no plan', () => {
    const r = parseConfig(BASE, 'f.yaml', opts());
    assert.ok(r.ok);
    const plan = toDirector(r.config).cluster;
    assert.deepEqual(plan?.timing, { keepaliveMs: 100, warntimeMs: 250, deadtimeMs: 500, initdeadMs: 2000 });
    assert.deepEqual(plan?.auth, { kind: 'key', method: 'sha256', key: 'secret' });
    assert.equal(plan?.autoFailback, true);
    const single = parseConfig('services: []\n', 'f.yaml');
    assert.ok(single.ok);
    assert.equal(toDirector(single.config).cluster, undefined);
  });

  it('node defaults to this host name (uname -n)', () => {
    const text = BASE.replace('  node: director1\n', '');
    const e = errors(text);
    assert.equal(e.length, 1);
    assert.match(
      e[0] ?? '',
      /^3:10: cluster\.nodes: this host's name ".+" \(uname -n\) is not in nodes \(director1, director2\); add it, or set cluster\.node$/,
    );
  });

  const cases: ReadonlyArray<readonly [string, string, string, string]> = [
    [
      'our node not in nodes',
      '  node: director1\n',
      '  node: director3\n',
      '3:9: cluster.node: "director3" is not in nodes (director1, director2)',
    ],
    [
      'no medium',
      '    - { type: bcast, device: eth0 }\n',
      '',
      '5:3: cluster.media: the cluster needs at least one medium (ucast, bcast, mcast or serial)',
    ],
    [
      'empty media list',
      '  media:\n    - { type: bcast, device: eth0 }\n',
      '  media: []\n',
      '5:10: cluster.media: the cluster needs at least one medium (ucast, bcast, mcast or serial)',
    ],
    [
      'unknown medium type',
      'type: bcast',
      'type: udp',
      '6:15: cluster.media[0].type: "udp" is not one of: ucast, bcast, mcast, serial',
    ],
    [
      'device not on this host',
      'device: eth0',
      'device: eth9',
      '6:30: cluster.media[0].device: network device "eth9" does not exist on this host (it has: lo, eth0)',
    ],
    [
      'serial tty missing',
      '{ type: bcast, device: eth0 }',
      '{ type: serial, device: /dev/ttyS9 }',
      '6:31: cluster.media[0].device: serial device /dev/ttyS9 does not exist on this host',
    ],
    [
      'bad baud',
      '{ type: bcast, device: eth0 }',
      '{ type: serial, device: /dev/ttyS0, baud: 1200 }',
      '6:49: cluster.media[0].baud: 1200 is not one of: 9600, 19200, 38400, 57600, 115200, 230400, 460800',
    ],
    [
      'bad mcast group',
      '{ type: bcast, device: eth0 }',
      '{ type: mcast, device: eth0, group: 10.0.0.1 }',
      '6:43: cluster.media[0].group: "10.0.0.1" is not an IPv4 multicast group (224.0.0.0/4)',
    ],
    [
      'unknown key',
      '  auth: { key: secret }\n',
      '  auth: { key: secret }\n  autofailback: true\n',
      '8:3: cluster.autofailback: unknown key (did you mean "auto_failback"?)',
    ],
    [
      'deadtime ≤ 2 × keepalive',
      '  auth:',
      '  timing: { keepalive: 1s, warntime: 1500ms, deadtime: 2s }\n  auth:',
      '7:56: cluster.timing.deadtime: deadtime (2s) must be more than 2 × keepalive (2s)',
    ],
    [
      'warntime order',
      '  auth:',
      '  timing: { warntime: 50ms }\n  auth:',
      '7:23: cluster.timing.warntime: warntime (50ms) must be between keepalive (100ms) and deadtime (500ms)',
    ],
    [
      'key file readable by others',
      '{ key: secret }',
      '{ key_file: /etc/webfarm/loose }',
      '7:21: cluster.auth.key_file: /etc/webfarm/loose: mode 644 lets group or others access the keys; use chmod 600',
    ],
    [
      'key file missing',
      '{ key: secret }',
      '{ key_file: /etc/webfarm/nope }',
      '7:21: cluster.auth.key_file: cannot read /etc/webfarm/nope',
    ],
    [
      'authkeys file with an error',
      '{ key: secret }',
      '{ authkeys_file: /etc/ha.d/bad-authkeys }',
      '7:26: cluster.auth.authkeys_file: /etc/ha.d/bad-authkeys:1: auth 2: no key line with id 2',
    ],
    [
      'keyed method without key',
      '{ key: secret }',
      '{ method: md5 }',
      '7:9: cluster.auth: method md5 needs key, key_file or authkeys_file (crc is the only method without a key)',
    ],
    [
      'crc with a key',
      '{ key: secret }',
      '{ method: crc, key: x }',
      '7:29: cluster.auth.key: crc takes no key',
    ],
    [
      'two secrets',
      '{ key: secret }',
      '{ key: a, key_file: /etc/webfarm/key }',
      '7:9: cluster.auth: give one of key, key_file, authkeys_file',
    ],
    [
      'unknown node in a group',
      '  auth: { key: secret }\n',
      '  auth: { key: secret }\n  resource_groups:\n    - { preferred: director3, resources: [services: true] }\n',
      '9:20: cluster.resource_groups[0].preferred: unknown node "director3" (did you mean "director1"?); list it in nodes',
    ],
    [
      'a resource with two kinds',
      '  auth: { key: secret }\n',
      '  auth: { key: secret }\n  resource_groups:\n    - { preferred: director1, resources: [{ services: true, ipaddr: 192.0.2.1 }] }\n',
      '9:43: cluster.resource_groups[0].resources[0]: a resource is exactly one of ipaddr, services, script',
    ],
    [
      'duplicate group key and services twice',
      '  auth: { key: secret }\n',
      '  auth: { key: secret }\n  resource_groups:\n    - { preferred: director1, resources: [services: true] }\n    - { preferred: director2, resources: [services: true] }\n',
      '10:43: cluster.resource_groups[1].resources[0]: the group key services (first resource) is also the key of resource_groups[0]',
    ],
    [
      'address device missing',
      '  auth: { key: secret }\n',
      '  auth: { key: secret }\n  resource_groups:\n    - { preferred: director1, resources: [ipaddr: { address: 192.0.2.1, device: eth7 }] }\n',
      '9:81: cluster.resource_groups[0].resources[0].ipaddr.device: network device "eth7" does not exist on this host (it has: lo, eth0)',
    ],
    [
      'stonith not executable',
      '  auth: { key: secret }\n',
      '  auth: { key: secret }\n  stonith: { command: /nope }\n',
      '8:23: cluster.stonith.command: "/nope" is not an executable file',
    ],
  ];
  for (const [name, from, to, want] of cases) {
    it(`error: ${name}`, () => {
      const text = BASE.replace(from, to);
      assert.notEqual(text, BASE);
      assert.deepEqual(errors(text)[0], want);
    });
  }

  it('clusterHost skip: no host facts are read', () => {
    const text = BASE.replace('device: eth0', 'device: eth9').replace(
      '{ key: secret }',
      '{ key_file: /nope }',
    );
    assert.deepEqual(errors(text, { clusterHost: 'skip' }), []);
  });

  it('cluster rules still run when another part of the file is invalid', () => {
    const e = errors(
      `${BASE.replace('services: []', 'services: 5')}`.replace('node: director1', 'node: director3'),
    );
    assert.equal(e.length, 2);
  });
});
