import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterHost } from './cluster-host.ts';
import { parseConfig } from './load.ts';

const host: ClusterHost = {
  interfaceNames: () => ['lo', 'eth0'],
  pathExists: () => false,
  fileMode: () => undefined,
  readFile: () => undefined,
};

/** A two-node cluster config whose one group lists `resources` in the order given. */
function config(engine: 'nft' | 'proxy', forward: 'route' | 'masq', resources: string[]): string {
  return `engine: ${engine}
services:
  - address: 192.0.2.240
    port: 80
    scheduler: mh
    real_servers:
      - { address: 192.0.2.2, port: 80, forward: ${forward} }
cluster:
  node: d1
  nodes: [d1, d2]
  media:
    - { type: bcast, device: eth0 }
  auth: { key: secret }
  resource_groups:
    - preferred: d1
      resources:
${resources.map((r) => `        - ${r}`).join('\n')}
`;
}

const IPADDR = 'ipaddr: { address: 192.0.2.240, prefix: 24, device: eth0 }';
const SERVICES = 'services: true';

function errors(text: string): string[] {
  const r = parseConfig(text, 'f.yaml', { clusterHost: host, isExecutable: () => true });
  return r.ok ? [] : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
}

test('nft direct routing: the address before the services is refused at the services entry', () => {
  const e = errors(config('nft', 'route', [IPADDR, SERVICES]));
  assert.equal(e.length, 1, e.join('\n'));
  assert.match(
    e[0] as string,
    /^18:\d+: cluster\.resource_groups\[0\]\.resources\[1\]\.services: with engine: nft, put services before the ipaddr 192\.0\.2\.240 \(resources\[0\]\)/,
  );
});

test('nft direct routing with services first, nft NAT, and the proxy engine are accepted in either order', () => {
  assert.deepEqual(errors(config('nft', 'route', [SERVICES, IPADDR])), []);
  assert.deepEqual(errors(config('nft', 'masq', [IPADDR, SERVICES])), []);
  assert.deepEqual(errors(config('proxy', 'masq', [IPADDR, SERVICES])), []);
});

test('an address the DR services do not use may come first', () => {
  const other = 'ipaddr: { address: 192.0.2.241, prefix: 24, device: eth0 }';
  assert.deepEqual(errors(config('nft', 'route', [other, SERVICES, IPADDR])), []);
});
