import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
