import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bumpGeneration, type GenerationFs, MAX_GENERATION, nextGeneration } from './generation.ts';

test('generation: the pure rule', () => {
  const cases: [string | undefined, number, number | string][] = [
    [undefined, 0, 1],
    ['1\n', 0, 2],
    ['41', 0, 42],
    ['41\r\n', 0, 42],
    ['5\n', 1_700_000_000, 1_700_000_000],
    ['1700000001\n', 1_700_000_000, 1_700_000_002],
    ['', 0, 'not a generation number'],
    ['x\n', 0, 'not a generation number'],
    ['-3\n', 0, 'not a generation number'],
    ['1 2\n', 0, 'not a generation number'],
    [String(MAX_GENERATION), 0, 'cannot be increased'],
  ];
  for (const [stored, floor, want] of cases) {
    const r = nextGeneration(stored, floor);
    if (typeof want === 'number') assert.deepEqual(r, { ok: true, value: want }, JSON.stringify(stored));
    else assert.ok(!r.ok && r.message.includes(want), JSON.stringify(stored));
  }
});

/** An in-memory fs that records the calls and can fail one of them. */
function memFs(files: Map<string, string>, failOn?: keyof GenerationFs) {
  const calls: string[] = [];
  const fs: GenerationFs = {
    async readText(p) {
      calls.push(`read ${p}`);
      if (failOn === 'readText') throw new Error('EIO');
      return files.get(p);
    },
    async writeDurable(p, t) {
      calls.push(`write ${p} ${JSON.stringify(t)}`);
      if (failOn === 'writeDurable') throw new Error('ENOSPC');
      files.set(p, t);
    },
    async rename(a, b) {
      calls.push(`rename ${a} ${b}`);
      if (failOn === 'rename') throw new Error('EXDEV');
      files.set(b, files.get(a)!);
      files.delete(a);
    },
  };
  return { fs, calls };
}

test('generation: bump reads, writes a temp file and renames it over', async () => {
  const files = new Map([['/var/lib/webfarm/generation', '7\n']]);
  const { fs, calls } = memFs(files);
  assert.equal(await bumpGeneration('/var/lib/webfarm/generation', fs), 8);
  assert.deepEqual(calls, [
    'read /var/lib/webfarm/generation',
    'write /var/lib/webfarm/generation.tmp "8\\n"',
    'rename /var/lib/webfarm/generation.tmp /var/lib/webfarm/generation',
  ]);
  assert.deepEqual([...files], [['/var/lib/webfarm/generation', '8\n']]);
});

test('generation: failures are WF_ERR_CLUSTER_GENERATION and never leave a lower number behind', async () => {
  for (const failOn of ['readText', 'writeDurable', 'rename'] as const) {
    const files = new Map([['/g', '7\n']]);
    const { fs } = memFs(files, failOn);
    await assert.rejects(bumpGeneration('/g', fs), { code: 'WF_ERR_CLUSTER_GENERATION' }, failOn);
    assert.equal(files.get('/g'), '7\n', failOn);
  }
  const { fs } = memFs(new Map([['/g', 'garbage']]));
  await assert.rejects(bumpGeneration('/g', fs), /\/g: not a generation number/);
});

test('generation: the real file system adapter, in a temp directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webfarm-gen-'));
  try {
    const path = join(dir, 'generation');
    assert.equal(await bumpGeneration(path), 1);
    assert.equal(await bumpGeneration(path), 2);
    await writeFile(path, '99\n');
    assert.equal(await bumpGeneration(path), 100);
    assert.equal(await readFile(path, 'utf8'), '100\n');
    assert.deepEqual(await readdir(dir), ['generation']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
