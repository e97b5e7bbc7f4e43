import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepalivedConfig, vrrpState, withoutCluster } from './keepalived-config.ts';

describe('keepalived side-by-side config', () => {
  it('one vrrp_instance as the notes ran it', () => {
    const conf = keepalivedConfig({ routerId: 'dira', priority: 150 }, '192.0.2.240', 24);
    for (const line of [
      'router_id dira',
      'interface eth0',
      'virtual_router_id 51',
      'priority 150',
      'advert_int 1',
      '192.0.2.240/24 dev eth0',
    ])
      assert.ok(conf.includes(`  ${line}\n`), line);
    assert.doesNotMatch(conf, /state |nopreempt/);
  });

  it('reads VRRP state changes from log lines', () => {
    const cases: [string, string | undefined][] = [
      ['Sun Nov 22 01:52:01 2026: (VI_1) Entering MASTER STATE', 'MASTER'],
      ['(VI_1) Entering BACKUP STATE (init)', 'BACKUP'],
      ['(VI_1) Entering FAULT STATE', 'FAULT'],
      ['(VI_1) received lower priority advert', undefined],
    ];
    for (const [line, want] of cases) assert.equal(vrrpState(line), want, line);
  });

  it('the webfarm config without its cluster section keeps the service', () => {
    const conf =
      'admin:\n  socket: /x\nservices:\n  - address: 192.0.2.240\n    port: 80\ncluster:\n  node: dira\n';
    assert.equal(
      withoutCluster(conf),
      'admin:\n  socket: /x\nservices:\n  - address: 192.0.2.240\n    port: 80\n',
    );
    assert.equal(withoutCluster('services: []\n'), 'services: []\n');
  });
});
