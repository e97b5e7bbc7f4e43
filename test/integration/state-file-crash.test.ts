import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatState, readState } from '../../src/admin/state-file.ts';
import { writeFileAtomic } from '../../src/admin/state-file-write.ts';
import { DEFAULT_TIMEOUTS } from '../../src/director/timeouts.ts';
import { within } from '../support/net.ts';

// A process killed (SIGKILL) in the middle of replacing the state file leaves the old file, whole.
const CHILD = new URL('../support/state-file-crash-child.ts', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-crash-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const doc = (tcpMs: number) =>
  formatState({
    version: 1,
    configDigest: 'd'.repeat(64),
    timeouts: { ...DEFAULT_TIMEOUTS, tcpMs },
    services: [],
  });

async function runChild(path: string, stopAt: string, text: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, stopAt, text], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = once(child, 'exit');
  if (stopAt === 'none') {
    await within(exited, 'child exit', 20_000);
    return out;
  }
  const stopped = new Promise<void>((resolve) =>
    child.stdout.on('data', () => out.includes('STOPPED') && resolve()),
  );
  await within(stopped, `child to stop at ${stopAt}`, 20_000);
  assert.ok(child.pid !== undefined);
  process.kill(child.pid, 'SIGKILL');
  await within(exited, 'child killed');
  return out;
}

for (const stopAt of ['partial-temp', 'before-rename']) {
  test(`state file: killed at ${stopAt}, the old file is intact and readable`, async () => {
    const path = join(dir, `${stopAt}.json`);
    await writeFileAtomic(path, doc(1000));
    await runChild(path, stopAt, doc(2000));
    assert.equal(await readFile(path, 'utf8'), doc(1000));
    const warnings: string[] = [];
    const read = await readState(path, (m) => warnings.push(m));
    assert.equal(read?.timeouts.tcpMs, 1000);
    assert.deepEqual(warnings, []);
    const temps = (await readdir(dir)).filter((n) => n.startsWith(`.${stopAt}.json.tmp-`));
    assert.equal(temps.length, 1, 'the dead writer left its temp file beside, never over, the state file');
  });
}

test('state file: a writer that runs to the end leaves the new file', async () => {
  const path = join(dir, 'complete.json');
  await writeFileAtomic(path, doc(1000));
  assert.match(await runChild(path, 'none', doc(3000)), /DONE/);
  assert.equal((await readState(path, assert.fail))?.timeouts.tcpMs, 3000);
});
