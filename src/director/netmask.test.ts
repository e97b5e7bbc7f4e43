import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskAddress, parseNetmask, prefixToDotted } from './netmask.ts';

test('netmask: dotted and prefix forms parse to a prefix length', () => {
  assert.deepEqual(parseNetmask('255.255.255.0', 4), { ok: true, prefix: 24 });
  assert.deepEqual(parseNetmask('255.255.255.255', 4), { ok: true, prefix: 32 });
  assert.deepEqual(parseNetmask('0.0.0.0', 4), { ok: true, prefix: 0 });
  assert.deepEqual(parseNetmask('16', 4), { ok: true, prefix: 16 });
  assert.deepEqual(parseNetmask('64', 6), { ok: true, prefix: 64 });
});

test('netmask: non-contiguous and out-of-range masks are rejected', () => {
  assert.equal(parseNetmask('255.0.255.0', 4).ok, false);
  assert.equal(parseNetmask('33', 4).ok, false);
  assert.equal(parseNetmask('255.255.255.0', 6).ok, false);
  assert.equal(parseNetmask('nonsense', 4).ok, false);
});

test('netmask: masking groups clients by network', () => {
  assert.equal(maskAddress('192.0.2.77', 24), '192.0.2.0');
  assert.equal(maskAddress('192.0.2.77', 32), '192.0.2.77');
  assert.equal(maskAddress('192.0.2.77', 0), '0.0.0.0');
  assert.equal(maskAddress('2001:db8:1:2::9', 48), '2001:db8:1:0:0:0:0:0');
  assert.equal(prefixToDotted(20), '255.255.240.0');
});
