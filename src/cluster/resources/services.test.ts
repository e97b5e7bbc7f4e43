import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ServicesControl, ServicesResource } from './services.ts';

test('services resource follows the control: status from active(), failures as values', async () => {
  const calls: string[] = [];
  let on = false;
  let failNext = false;
  const control: ServicesControl = {
    async activate() {
      calls.push('activate');
      if (failNext) throw new Error('EADDRINUSE 192.0.2.240:80');
      on = true;
    },
    async deactivate() {
      calls.push('deactivate');
      on = false;
    },
    active: () => on,
  };
  const r = new ServicesResource(control);
  assert.equal(r.name, 'webfarm::services');
  assert.equal(await r.status(), 'stopped');
  assert.deepEqual(await r.start(), { ok: true });
  assert.equal(await r.status(), 'running');
  assert.deepEqual(await r.stop(), { ok: true });
  assert.equal(await r.status(), 'stopped');
  failNext = true;
  assert.deepEqual(await r.start(), { ok: false, reason: 'services activate: EADDRINUSE 192.0.2.240:80' });
  assert.deepEqual(calls, ['activate', 'deactivate', 'activate']);
});
