import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProbeResult, ProbeSettings } from '../../src/health/probe.ts';
import { externalProbe } from '../../src/health/probes/external.ts';
import { until } from '../support/net.ts';
import { reasonOf } from '../support/peers/run-probe.ts';

/**
 * The external probe running real scripts from a temp dir: exit 0 / 1, killed by a signal, a script that
 * never ends (it and its own child are SIGKILLed at the abort, checked by PID), and config-time checks.
 */
const TARGET = {
  protocol: 'tcp',
  address: '127.0.0.2',
  port: 8080,
  virtualAddress: '192.0.2.10',
  virtualPort: 80,
} as const;

function run(settings: ProbeSettings, signal: AbortSignal = AbortSignal.timeout(5000)): Promise<ProbeResult> {
  return externalProbe.create().run(TARGET, settings, signal);
}

/** Alive = /proc/<pid> exists and is not a zombie (a reparented zombie waits for init, it does not run). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('external probe', () => {
  let dir = '';
  const script = (name: string) => join(dir, name);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webfarm-external-'));
    const scripts: Record<string, string> = {
      'ok.sh': `printf '%s\\n' "$@" > "${dir}/args.txt"\nexit 0`,
      'fail.sh': 'exit 1',
      'exit7.sh': 'exit 7',
      'self-kill.sh': 'kill -TERM $$',
      'forever.sh': `sleep 1000 &\necho $! > "${dir}/sleep.pid.tmp"\necho $$ > "${dir}/sh.pid.tmp"\nmv "${dir}/sleep.pid.tmp" "${dir}/sleep.pid"\nmv "${dir}/sh.pid.tmp" "${dir}/sh.pid"\nwait`,
    };
    for (const [name, body] of Object.entries(scripts)) {
      await writeFile(script(name), `#!/bin/sh\n${body}\n`);
      await chmod(script(name), 0o755);
    }
    await writeFile(script('not-executable.sh'), '#!/bin/sh\nexit 0\n');
    await chmod(script('not-executable.sh'), 0o644);
    await mkdir(script('a-directory'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exit 0 is up, and the script gets vip vport rip rport', async () => {
    const r = await run({ command: script('ok.sh') });
    assert.ok(r.ok, reasonOf(r));
    assert.equal(await readFile(join(dir, 'args.txt'), 'utf8'), '192.0.2.10\n80\n127.0.0.2\n8080\n');
  });

  it('a bare name is found on PATH', async () => {
    const r = await run({ command: 'true' });
    assert.ok(r.ok, reasonOf(r));
  });

  const downCases: readonly [string, string, RegExp][] = [
    ['exit 1 is down', 'fail.sh', /^exit 1$/],
    ['any non-zero exit is down', 'exit7.sh', /^exit 7$/],
    ['a script killed by a signal (it died early) is down', 'self-kill.sh', /^killed by SIGTERM$/],
    ['a file that is not executable is down', 'not-executable.sh', /EACCES/],
    ['a missing command is down', 'missing.sh', /ENOENT/],
  ];
  for (const [name, file, reason] of downCases) {
    it(name, async () => {
      const r = await run({ command: script(file) });
      assert.equal(r.ok, false, reasonOf(r));
      assert.match(reasonOf(r), reason);
    });
  }

  it('a script that never ends: down at the abort, it and its child are killed', async () => {
    const ac = new AbortController();
    const result = run({ command: script('forever.sh') }, ac.signal);
    await until(() => {
      try {
        readFileSync(join(dir, 'sh.pid'));
        return true;
      } catch {
        return false;
      }
    }, 'the script to write its PIDs');
    const shPid = Number(await readFile(join(dir, 'sh.pid'), 'utf8'));
    const sleepPid = Number(await readFile(join(dir, 'sleep.pid'), 'utf8'));
    assert.ok(alive(shPid) && alive(sleepPid), 'both running before the abort');
    ac.abort();
    const r = await result;
    assert.match(reasonOf(r), /aborted/);
    await until(() => !alive(shPid) && !alive(sleepPid), 'the script and its sleep to be gone');
  });
});
