import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MediumPlan } from '../config/cluster-plan.ts';
import { mediumSpecs } from './cluster-media.ts';

test('media plans → worker specs, named after their directive; ucast to our own address skipped', () => {
  const plans: MediumPlan[] = [
    { type: 'bcast', device: 'eth0', port: 694 },
    { type: 'ucast', device: 'eth0', peer: '192.0.2.4', port: 694 },
    { type: 'ucast', device: 'eth0', peer: '192.0.2.5', port: 694 },
    { type: 'mcast', device: 'eth1', group: '225.0.0.1', port: 694, ttl: 1, loop: false },
    { type: 'serial', device: '/dev/ttyS0' },
    { type: 'serial', device: '/dev/ttyS1', baud: 19200 },
  ];
  const { specs, skipped } = mediumSpecs(plans, new Set(['192.0.2.4', '127.0.0.1']));
  assert.deepEqual(skipped, ['ucast eth0 192.0.2.4']);
  assert.deepEqual(specs, [
    { kind: 'bcast', name: 'bcast eth0', device: 'eth0', port: 694 },
    { kind: 'ucast', name: 'ucast eth0 192.0.2.5', port: 694, peers: ['192.0.2.5'], localAddresses: [] },
    {
      kind: 'mcast',
      name: 'mcast eth1 225.0.0.1',
      device: 'eth1',
      group: '225.0.0.1',
      port: 694,
      ttl: 1,
      loop: false,
    },
    { kind: 'serial', name: 'serial /dev/ttyS0', device: '/dev/ttyS0' },
    { kind: 'serial', name: 'serial /dev/ttyS1', device: '/dev/ttyS1', baud: 19200 },
  ]);
});
