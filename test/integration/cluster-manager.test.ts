import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ResourceManager } from '../../src/cluster/manager/manager.ts';
import { FakeMembershipPair } from '../../src/cluster/manager/testing/fake-membership.ts';
import { ResourceGroup } from '../../src/cluster/resources/group.ts';
import { LsbScriptResource } from '../../src/cluster/resources/lsb-script.ts';
import { type ProcessRunner, spawnProcessRunner } from '../../src/cluster/resources/process-runner.ts';
import { systemClock } from '../../src/platform/clock.ts';

/**
 * Two resource managers in one process, wired back to back, whose groups are real LSB scripts run as child
 * processes. Each script appends `NODE NAME VERB` to a shared journal, so the order of starts and stops
 * across both nodes is observable. Waits are bounded polls on the journal/state, never sleeps.
 */
const SCRIPT = `#!/bin/sh
# usage: svc STATEDIR NAME start|stop|status
dir="$1"; name="$2"
case "$3" in
  start) [ -f "$dir/fail-$name" ] && exit 1; echo "$name start" >> "$dir/journal"; touch "$dir/$name"; exit 0 ;;
  stop) echo "$name stop" >> "$dir/journal"; rm -f "$dir/$name"; exit 0 ;;
  status) if [ -f "$dir/$name" ]; then echo running; else echo stopped; fi; exit 0 ;;
esac
exit 2
`;

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function withCluster(
  body: (c: {
    dir: Record<'alpha' | 'beta', string>;
    alpha: ResourceManager;
    beta: ResourceManager;
    pair: FakeMembershipPair;
    journal: (node: 'alpha' | 'beta') => Promise<string[]>;
  }) => Promise<void>,
): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'wf-mgr-'));
  try {
    const script = join(root, 'svc');
    await writeFile(script, SCRIPT);
    await chmod(script, 0o755);
    const pair = new FakeMembershipPair('alpha', 'beta');
    const dir = { alpha: join(root, 'alpha'), beta: join(root, 'beta') };
    const make = async (node: 'alpha' | 'beta') => {
      await mkdir(dir[node]);
      // The same haresources line on both nodes (same keys); each node's runner points @DIR at its own dir.
      const runner: ProcessRunner = {
        run: (argv, options) =>
          spawnProcessRunner.run(
            argv.map((a) => (a === '@DIR' ? dir[node] : a)),
            options,
          ),
      };
      const r = (name: string) => new LsbScriptResource({ path: script, args: ['@DIR', name] }, runner);
      return new ResourceManager({
        clock: systemClock,
        membership: node === 'alpha' ? pair.a : pair.b,
        groups: [new ResourceGroup('alpha', [r('web1'), r('web2'), r('web3')])],
        autoFailback: true,
      });
    };
    const alpha = await make('alpha');
    const beta = await make('beta');
    const journal = async (node: 'alpha' | 'beta') =>
      (await readFile(join(dir[node], 'journal'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    try {
      await body({ dir, alpha, beta, pair, journal });
    } finally {
      alpha.stop();
      beta.stop();
      await alpha.settled();
      await beta.settled();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const held = (m: ResourceManager) => m.groups().some((g) => g.held && g.op === undefined);
const idle = (m: ResourceManager) => m.groups().every((g) => g.op === undefined);

test('scripts: start left to right on the preferred node; standby and takeover move them in order', async () => {
  await withCluster(async ({ alpha, beta, pair, journal }) => {
    await alpha.start();
    await beta.start();
    pair.a.peerUp();
    pair.b.peerUp();
    await until(() => held(alpha), 'alpha to hold its group');
    assert.deepEqual(await journal('alpha'), ['web1 start', 'web2 start', 'web3 start']);
    assert.equal(alpha.standby().accepted, true);
    await until(() => held(beta) && idle(alpha), 'beta to hold the group after standby');
    assert.deepEqual((await journal('alpha')).slice(3), ['web3 stop', 'web2 stop', 'web1 stop']);
    assert.deepEqual(await journal('beta'), ['web1 start', 'web2 start', 'web3 start']);
    assert.equal(alpha.takeover().accepted, true);
    await until(() => held(alpha) && !held(beta) && idle(beta), 'alpha to hold it again after takeover');
    assert.deepEqual((await journal('beta')).slice(3), ['web3 stop', 'web2 stop', 'web1 stop']);
  });
});

test('scripts: a start failing midway is rolled back right to left and reported', async () => {
  await withCluster(async ({ dir, alpha, beta, pair, journal }) => {
    await writeFile(join(dir.alpha, 'fail-web2'), '');
    const events: string[] = [];
    alpha.on((e) => events.push(`${e.kind}${e.detail === undefined ? '' : `: ${e.detail}`}`));
    await alpha.start();
    await beta.start();
    pair.a.peerUp();
    pair.b.peerUp();
    await until(() => events.some((e) => e.startsWith('take-failed')), 'the take to fail');
    await alpha.settled();
    // web2's stop is asked for too, but its status says stopped, so the script's stop never runs.
    assert.deepEqual(await journal('alpha'), ['web1 start', 'web1 stop']);
    assert.ok(
      events.some((e) => /take-failed: .*web2.*start: exit 1/.test(e)),
      events.join('\n'),
    );
    assert.equal(held(alpha), false);
  });
});
