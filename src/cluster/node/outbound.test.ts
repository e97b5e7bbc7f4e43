import assert from 'node:assert/strict';
import { test } from 'node:test';
import { message } from '../message.ts';
import { stamp, statusMessage } from './outbound.ts';

const ctx = {
  src: 'alpha',
  generation: 0x6b023342,
  wallNow: 0x6b023350 * 1000 + 999,
  ttl: 3,
  load: '0.05 0.30',
};
const names = (m: ReturnType<typeof message>) => m.fields.map((f) => `${f.name}=${f.value as string}`);

test('outbound: what the sender adds, as heartbeat 3.0.6 sends a status', () => {
  assert.deepEqual(names(stamp(statusMessage('active', 2000), 0x58, ctx)), [
    't=status',
    'st=active',
    'dt=7d0',
    'protocol=1',
    'src=alpha',
    'seq=58',
    'hg=6b023342',
    'ts=6b023350',
    'ld=0.05 0.30',
    'ttl=3',
  ]);
});

test('outbound: NS_ types get no seq and no ld; fields already present are replaced in place', () => {
  const m = message([
    ['t', 'NS_rexmit'],
    ['src', 'someone'],
    ['firstseq', '5'],
  ]);
  assert.deepEqual(names(stamp(m, 9, ctx)), [
    't=NS_rexmit',
    'src=alpha',
    'firstseq=5',
    'hg=6b023342',
    'ts=6b023350',
    'ttl=3',
  ]);
});
