import { open } from 'node:fs/promises';
import { type AtomicFs, nodeAtomicFs, writeFileAtomic } from '../../src/admin/state-file-write.ts';

/**
 * Child process for test/integration/state-file-crash.test.ts: replaces argv[2] with argv[4] atomically,
 * but stops at step argv[3] ("partial-temp": half the temp file written; "before-rename": temp complete
 * and synced), says "STOPPED" on stdout and waits to be killed.
 */
const [path, stopAt, text] = process.argv.slice(2) as [string, string, string];
const hang = (): Promise<void> => {
  process.stdout.write('STOPPED\n');
  return new Promise(() => setInterval(() => {}, 1000));
};
const fs: AtomicFs = {
  ...nodeAtomicFs,
  writeSynced: async (p, t) => {
    if (stopAt !== 'partial-temp') return nodeAtomicFs.writeSynced(p, t);
    const fh = await open(p, 'w', 0o600);
    await fh.writeFile(t.slice(0, Math.floor(t.length / 2)));
    await fh.sync();
    return hang();
  },
  rename: async (a, b) => {
    if (stopAt === 'before-rename') return hang();
    return nodeAtomicFs.rename(a, b);
  },
};
await writeFileAtomic(path, text, fs);
process.stdout.write('DONE\n');
