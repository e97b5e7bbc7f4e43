import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { labCommand } from '../cli/lab.ts';

/** `webfarm lab` command line: usage errors (2), check (0 / 1 with FILE:LINE:COL), unreadable file (1). */

const CI = fileURLToPath(new URL('../../scenarios/holstein-ci.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wf-lab-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BAD = join(dir, 'bad.yaml');
writeFileSync(
  BAD,
  'name: x\nvip: 10.1.1.1\nhosts: [{ name: c, role: client, address: 192.0.2.9, target: http://192.0.2.1/ }]\n',
);
const EMPTY = join(dir, 'empty.yaml');
writeFileSync(EMPTY, 'name: x\nvip: 192.0.2.1\nhosts: []\n');

async function lab(args: string[]) {
  let out = '';
  let err = '';
  const code = await labCommand(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('webfarm lab', () => {
  const cases: Array<{ args: string[]; code: number; out?: RegExp; err?: RegExp }> = [
    { args: [], code: 2, err: /expected run FILE, holstein or check FILE/ },
    { args: ['explode'], code: 2, err: /expected run FILE/ },
    { args: ['run'], code: 2, err: /expected run FILE/ },
    { args: ['holstein', 'extra'], code: 2, err: /expected run FILE/ },
    { args: ['run', 'x', '--bogus'], code: 2, err: /Unknown option '--bogus'/ },
    { args: ['--help'], code: 0, out: /Usage: webfarm lab run FILE/ },
    { args: ['check', CI], code: 0, out: /holstein-ci.yaml: OK \(6 hosts, 6 steps\)/ },
    { args: ['check', BAD], code: 1, err: /bad.yaml:2:6: vip: 10.1.1.1 is outside 192.0.2.0\/24/ },
    { args: ['check', EMPTY], code: 1, err: /empty.yaml:3:8: hosts: needs at least one host/ },
    { args: ['run', join(dir, 'missing.yaml')], code: 1, err: /cannot read .*missing.yaml: ENOENT/ },
  ];
  for (const c of cases) {
    it(`lab ${c.args.join(' ')} → ${c.code}`, async () => {
      const r = await lab(c.args);
      assert.equal(r.code, c.code, r.err);
      if (c.out) assert.match(r.out, c.out);
      if (c.err) assert.match(r.err, c.err);
    });
  }
});
