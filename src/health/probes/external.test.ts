import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ProbeSettings } from '../probe.ts';
import { findCommand } from './external-command.ts';
import { commandArgs, externalProbe } from './external.ts';

describe('external args', () => {
  it('vip vport rip rport, as ldirectord passes them', () => {
    const target = {
      protocol: 'tcp',
      address: '2001:db8::2',
      port: 8443,
      virtualAddress: '2001:db8::1',
      virtualPort: 443,
    } as const;
    assert.deepEqual(commandArgs(target), ['2001:db8::1', '443', '2001:db8::2', '8443']);
  });
});

describe('findCommand', () => {
  it('looks a bare name up on the given PATH, in order', async (t) => {
    const a = await mkdtemp(join(tmpdir(), 'webfarm-path-a-'));
    const b = await mkdtemp(join(tmpdir(), 'webfarm-path-b-'));
    t.after(() => Promise.all([rm(a, { recursive: true }), rm(b, { recursive: true })]));
    await writeFile(join(a, 'check'), '');
    await chmod(join(a, 'check'), 0o644);
    await writeFile(join(b, 'check'), '#!/bin/sh\n');
    await chmod(join(b, 'check'), 0o755);
    assert.deepEqual(findCommand('check', `${a}:${b}`), { ok: true, path: join(b, 'check') });
    assert.deepEqual(findCommand('check', a), { ok: false, problem: `check not found on PATH (${a})` });
    assert.deepEqual(findCommand('check', ''), { ok: false, problem: 'check not found on PATH (empty)' });
  });
});

describe('external validate', () => {
  it('table', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'webfarm-external-v-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'x.sh'), '#!/bin/sh\n');
    await chmod(join(dir, 'x.sh'), 0o755);
    await writeFile(join(dir, 'plain.txt'), '');
    await chmod(join(dir, 'plain.txt'), 0o644);
    const cases: readonly [ProbeSettings, readonly string[]][] = [
      [{ command: join(dir, 'x.sh') }, []],
      [{ command: 'sh' }, []],
      [{}, ['command: required by the external check (the program to run)']],
      [{ command: '' }, ['command: required by the external check (the program to run)']],
      [{ command: join(dir, 'nope') }, [`command: ${join(dir, 'nope')} does not exist`]],
      [{ command: join(dir, 'plain.txt') }, [`command: ${join(dir, 'plain.txt')} is not executable`]],
      [{ command: dir }, [`command: ${dir} is not a regular file`]],
      [{ command: './x.sh' }, ['command: ./x.sh must be an absolute path or a name found on PATH']],
      [
        { command: 'webfarm-no-such-command' },
        [/^command: webfarm-no-such-command not found on PATH/.source],
      ],
      [{ command: 'sh', receive: 'x' }, ['receive: external checks do not use it']],
    ];
    for (const [settings, want] of cases) {
      const got = externalProbe.validate(settings, { protocol: 'tcp' });
      assert.equal(got.length, want.length, `${JSON.stringify(settings)}: ${got.join('; ')}`);
      for (const [i, w] of want.entries()) {
        if (w.startsWith('^')) assert.match(got[i] ?? '', new RegExp(w));
        else assert.equal(got[i], w);
      }
    }
  });
});
