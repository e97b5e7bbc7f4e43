import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { assembleHaD } from './had-assemble.ts';
import { importLdirectord } from './import-ldirectord.ts';

/** `webfarm import --engine`: proxy (default) masquerades every real server; nft keeps LVS's gate as direct routing. */

const LD = [
  'virtual=192.0.2.240:80',
  '\treal=192.0.2.2:8080 gate',
  '\treal=192.0.2.3 gate 2',
  '\tfallback=127.0.0.1:80 gate',
  '\tservice=http',
  '\tscheduler=rr',
  '',
].join('\n');

function service(engine?: 'proxy' | 'nft') {
  const r = importLdirectord(LD, 'ld.cf', engine);
  assert.ok(r.ok, r.ok ? '' : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`).join('\n'));
  const doc = parse(r.yaml) as { engine: string; services: Array<{ real_servers: unknown[] }> };
  return { doc, yaml: r.yaml };
}

describe('import --engine', () => {
  it('proxy (default): gate becomes masq with a comment', () => {
    const { doc, yaml } = service();
    assert.equal(doc.engine, 'proxy');
    assert.deepEqual(doc.services[0]?.real_servers, [
      { address: '192.0.2.2', port: 80, weight: 1, forward: 'masq' },
      { address: '192.0.2.3', port: 80, weight: 2, forward: 'masq' },
    ]);
    assert.match(yaml, /was gate \(direct routing\); the proxy engine masquerades/);
    assert.deepEqual(service('proxy').doc, doc);
  });

  it('nft: gate becomes forward: route on the virtual port; the fallback comment says how it is served', () => {
    const { doc, yaml } = service('nft');
    assert.equal(doc.engine, 'nft');
    assert.deepEqual(doc.services[0]?.real_servers, [
      { address: '192.0.2.2', port: 80, weight: 1, forward: 'route' },
      { address: '192.0.2.3', port: 80, weight: 2, forward: 'route' },
    ]);
    assert.match(yaml, /written 8080; ldirectord forces the virtual port for gate/);
    assert.match(yaml, /fallback: 127\.0\.0\.1:80 # was gate; the fallback is added as a masq real server/);
    assert.doesNotMatch(yaml, /masquerades/);
  });

  it('nft: ipip is refused at its real= line (the nft engine has no tunnelling)', () => {
    const r = importLdirectord('virtual=192.0.2.240:80\n\treal=192.0.2.3 ipip\n', 'ld.cf', 'nft');
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.line, 2);
    assert.match(r.issues[0]?.message ?? '', /tunnelling/);
  });
});

describe('import ha.d --engine nft: resource order', () => {
  const had = {
    haCf: { file: 'ha.cf', text: 'node a\nnode b\nbcast eth0\n' },
    haresources: { file: 'haresources', text: 'a IPaddr::192.0.2.240/24/eth0 ldirectord::ld.cf\n' },
    authkeys: { file: 'authkeys', sendId: 1, method: 'sha1' },
    hostname: 'a',
    node: 'a',
    extra: [],
    loadLdirectord: async () => ({ file: 'ld.cf', text: LD }),
  };
  const resources = async (engine?: 'proxy' | 'nft') => {
    const r = await assembleHaD({ ...had, ...(engine ? { engine } : {}) });
    assert.ok(r.ok, r.ok ? '' : r.issues.map((i) => i.message).join('\n'));
    return (
      parse(r.yaml) as { cluster: { resource_groups: Array<{ resources: object[] }> } }
    ).cluster.resource_groups[0]?.resources.map((x) => Object.keys(x)[0]);
  };

  it('proxy keeps heartbeat order; nft puts the services before the address', async () => {
    assert.deepEqual(await resources(), ['ipaddr', 'services']);
    assert.deepEqual(await resources('nft'), ['services', 'ipaddr']);
  });
});
