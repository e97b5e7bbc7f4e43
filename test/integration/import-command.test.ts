import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * `webfarm import` through the real executable (node bin/webfarm.js): the output equals the golden file
 * next to the fixture, and where the fixture only uses what every host has, that output passes
 * `webfarm check` (exit 0). Bad input exits 1 with FILE:LINE:COL lines and nothing on stdout. Paths are
 * relative to the repository root (the cwd), as the golden files' header names them.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const F = 'test/fixtures/import';
const tmp = mkdtempSync(join(tmpdir(), 'webfarm-import-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function webfarm(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/webfarm.js', ...args],
      { cwd: ROOT, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function importThenCheck(args: string[], golden: string, checks: boolean): Promise<void> {
  const r = await webfarm(['import', ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(join(ROOT, F, golden), 'utf8'));
  if (!checks) return;
  const out = join(tmp, golden);
  writeFileSync(out, r.stdout);
  const c = await webfarm(['check', '-c', out]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /: OK \(/);
}

describe('webfarm import ldirectord.cf', () => {
  it('the Holstein sample: golden output that passes webfarm check', () =>
    importThenCheck([`${F}/holstein-ldirectord.cf`], 'holstein-ldirectord.expected.yaml', true));

  it('every directive: golden output', () =>
    importThenCheck([`${F}/all-directives-ldirectord.cf`], 'all-directives-ldirectord.expected.yaml', false));

  it('errors: exit 1, FILE:LINE:COL on stderr, nothing on stdout', async () => {
    const r = await webfarm(['import', `${F}/bad-ldirectord.cf`]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      `${F}/bad-ldirectord.cf:2:1: unknown directive "emailalrt" (did you mean "emailalert"?)`,
      `${F}/bad-ldirectord.cf:6:2: "logfile" is a global directive: it must start at column 0, outside any virtual= block`,
    ]);
  });

  it('a missing file: exit 1; no argument: exit 2', async () => {
    const r = await webfarm(['import', `${F}/nope.cf`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read test\/fixtures\/import\/nope\.cf: ENOENT/);
    assert.equal((await webfarm(['import'])).code, 2);
  });
});

describe('webfarm import ha.d', () => {
  // git keeps no file modes but the executable bit: set what heartbeat (and the import) require.
  for (const d of ['holstein', 'loopback', 'bad', 'semantic'])
    chmodSync(join(ROOT, F, `${d}-ha.d/authkeys`), 0o600);
  chmodSync(join(ROOT, F, 'open-authkeys-ha.d/authkeys'), 0o644);

  it('Holstein (ha.cf, haresources, authkeys, ldirectord.cf): golden output; ignored directives on stderr', async () => {
    await importThenCheck(
      ['--node', 'director1', `${F}/holstein-ha.d`],
      'holstein-ha.d.expected.yaml',
      false,
    );
    const r = await webfarm(['import', '--node', 'director1', `${F}/holstein-ha.d`]);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      `${F}/holstein-ha.d/ha.cf:2: debugfile: ignored; webfarm logs to stderr; WEBFARM_DEBUG=1 for more`,
      `${F}/holstein-ha.d/ha.cf:3: logfile: ignored; webfarm logs to stderr (the journal under systemd)`,
      `${F}/holstein-ha.d/ha.cf:4: logfacility: ignored; webfarm logs to stderr (the journal under systemd)`,
    ]);
  });

  it('on a host without eth0, webfarm check names the missing device', {
    skip: 'eth0' in networkInterfaces(),
  }, async () => {
    const out = join(tmp, 'holstein-check.yaml');
    writeFileSync(out, (await webfarm(['import', '--node', 'director1', `${F}/holstein-ha.d`])).stdout);
    const c = await webfarm(['check', '-c', out]);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /cluster\.media\[1\]\.device: network device "eth0" does not exist on this host/);
  });

  it('loopback ha.d: golden output that passes webfarm check', () =>
    importThenCheck(['--node', 'director1', `${F}/loopback-ha.d`], 'loopback-ha.d.expected.yaml', true));

  const errors: ReadonlyArray<readonly [string, string[]]> = [
    [
      'bad-ha.d',
      [
        `${F}/bad-ha.d/ha.cf:4:1: unknown ha.cf directive "bcats" (did you mean "bcast"?)`,
        `${F}/bad-ha.d/haresources:2:11: "300.1.1.1" is not an IPv4 address`,
      ],
    ],
    [
      'open-authkeys-ha.d',
      [`${F}/open-authkeys-ha.d/authkeys: mode 644 lets group or others access the keys; use chmod 600`],
    ],
    [
      'semantic-ha.d',
      [
        `${F}/semantic-ha.d/haresources:1:1: cluster.resource_groups[0].preferred: unknown node "director3" (did you mean "director1"?); list it in nodes (in the imported config)`,
        `${F}/semantic-ha.d/ha.cf:1:11: cluster.timing.warntime: warntime (1500ms) must be between keepalive (2s) and deadtime (3s) (in the imported config)`,
        `${F}/semantic-ha.d/ha.cf:2:10: cluster.timing.deadtime: deadtime (3s) must be more than 2 × keepalive (4s) (in the imported config)`,
        `${F}/semantic-ha.d/ha.cf:3:16: cluster.media: the cluster needs at least one medium (ucast, bcast, mcast or serial) (in the imported config)`,
      ],
    ],
  ];
  for (const [dir, want] of errors) {
    it(`errors: ${dir} exits 1 with FILE:LINE lines`, async () => {
      const r = await webfarm(['import', '--node', 'director1', `${F}/${dir}`]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.deepEqual(r.stderr.trimEnd().split('\n'), want);
    });
  }

  it('--node must be one of the nodes', async () => {
    const r = await webfarm(['import', '--node', 'director9', `${F}/loopback-ha.d`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--node director9 is not a node of .*ha\.cf \(director1, director2\)/);
  });
});
