import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildDirector } from '../director/farm-plan.ts';
import { realSpec, svcSpec } from '../director/test-support.ts';
import { DEFAULT_TIMEOUTS } from '../director/timeouts.ts';
import { WebfarmError } from '../model/errors.ts';
import { FakeClock } from '../platform/fake-clock.ts';
import { parseState } from './state-file.ts';
import { type AtomicFs, StatePersister, nodeAtomicFs, writeFileAtomic } from './state-file-write.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-statefile-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Step = keyof AtomicFs;

/** The real file system, except that `step` throws (after doing its work when `afterWork`). */
function failingAt(step: Step, afterWork = false): AtomicFs {
  const boom = () => {
    throw new Error(`injected failure at ${step}`);
  };
  const wrap =
    <A extends unknown[]>(name: Step, f: (...a: A) => Promise<void>) =>
    async (...a: A) => {
      if (name !== step) return f(...a);
      if (afterWork) await f(...a);
      boom();
    };
  return {
    mkdir: wrap('mkdir', nodeAtomicFs.mkdir),
    writeSynced: wrap('writeSynced', nodeAtomicFs.writeSynced),
    rename: wrap('rename', nodeAtomicFs.rename),
    syncDir: wrap('syncDir', nodeAtomicFs.syncDir),
    remove: nodeAtomicFs.remove,
  };
}

const cases: ReadonlyArray<{ step: Step; afterWork: boolean; expect: 'old' | 'new'; rejects: boolean }> = [
  { step: 'mkdir', afterWork: false, expect: 'old', rejects: true },
  { step: 'writeSynced', afterWork: false, expect: 'old', rejects: true },
  // The temp file is complete and synced, then the process "fails" before the rename.
  { step: 'writeSynced', afterWork: true, expect: 'old', rejects: true },
  { step: 'rename', afterWork: false, expect: 'old', rejects: true },
  // The rename happened; only the directory fsync failed: the new content is in place.
  { step: 'syncDir', afterWork: false, expect: 'new', rejects: false },
];

for (const c of cases) {
  test(`atomic write: failure at ${c.step}${c.afterWork ? ' (after its work)' : ''} leaves the ${c.expect} file, no temp`, async () => {
    const path = join(dir, `s-${c.step}-${c.afterWork}.json`);
    await writeFile(path, 'OLD');
    const p = writeFileAtomic(path, 'NEW', failingAt(c.step, c.afterWork));
    if (c.rejects)
      await assert.rejects(p, (e: unknown) => e instanceof WebfarmError && e.code === 'WF_ERR_STATE_FILE');
    else await p;
    assert.equal(await readFile(path, 'utf8'), c.expect === 'old' ? 'OLD' : 'NEW');
    const left = (await readdir(dir)).filter((n) => n.includes(`s-${c.step}-${c.afterWork}.json.tmp`));
    assert.deepEqual(left, []);
  });
}

const plan = {
  engine: 'proxy' as const,
  admin: {},
  timeouts: DEFAULT_TIMEOUTS,
  services: [{ spec: svcSpec(), reals: [realSpec(1), realSpec(2)] }],
};

test('persister: every director change is written; unchanged tables are not rewritten', async () => {
  const path = join(dir, 'persist.json');
  const d = buildDirector(plan, new FakeClock());
  let writes = 0;
  const fs: AtomicFs = {
    ...nodeAtomicFs,
    rename: (a, b) => {
      writes += 1;
      return nodeAtomicFs.rename(a, b);
    },
  };
  const p = new StatePersister(path, d, 'c'.repeat(64), { fs, onError: (e) => assert.fail(e) });
  p.start();
  await p.flush();
  assert.equal(writes, 1);
  d.editReal('tcp:192.0.2.240:80', '198.51.100.1:80', { weight: 4, admin: 'drain' });
  d.editReal('tcp:192.0.2.240:80', '198.51.100.2:80', { health: 'down' }); // not part of the table
  await p.flush();
  const doc = parseState(await readFile(path, 'utf8'));
  assert.ok(doc.ok);
  assert.deepEqual(
    doc.doc.services[0]?.reals.map((r) => [r.address, r.weight, r.admin]),
    [
      ['198.51.100.1', 4, 'drain'],
      ['198.51.100.2', 1, 'enabled'],
    ],
  );
  assert.equal(writes, 2, 'the health change wrote nothing');
  await p.stop();
});

test('persister: suspended during a reload, one write on resume; a failed write is retried on the next change', async () => {
  const path = join(dir, 'suspend.json');
  const d = buildDirector(plan, new FakeClock());
  let fail = false;
  const errors: string[] = [];
  const fs: AtomicFs = {
    ...nodeAtomicFs,
    rename: async (a, b) => {
      if (fail) throw new Error('disk full');
      await nodeAtomicFs.rename(a, b);
    },
  };
  const p = new StatePersister(path, d, 'c'.repeat(64), { fs, onError: (e) => errors.push(e.message) });
  p.start();
  await p.flush();
  p.suspend();
  d.removeReal('tcp:192.0.2.240:80', '198.51.100.1:80');
  await p.flush();
  const read = async () => {
    const r = parseState(await readFile(path, 'utf8'));
    assert.ok(r.ok);
    return r.doc.services[0]?.reals.length;
  };
  assert.equal(await read(), 2, 'nothing written while suspended');
  fail = true;
  p.resume();
  await p.flush();
  assert.equal(await read(), 2, 'old file kept');
  assert.match(errors[0] ?? '', /disk full/);
  fail = false;
  p.changed();
  await p.flush();
  assert.equal(await read(), 1, 'retried');
  await p.stop();
});
