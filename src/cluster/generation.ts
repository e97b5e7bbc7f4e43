import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WebfarmError } from '../model/errors.ts';

/**
 * The heartbeat generation (`hg`): a number kept on disk and bumped at every start, so peers can tell a
 * restart (higher) from a replay (lower) (seed-system.md §2.2). File format: decimal digits and a newline.
 *
 * `nextGeneration` is the pure rule; `bumpGeneration` is the adapter: read, +1, write to a temp file, flush,
 * rename over the old one (atomic on POSIX), so a crash leaves the old or the new number, never half.
 * A missing file starts at 1. A corrupt file is an error rather than a silent restart at 1: peers would take
 * every message from a lower generation as a replay. `floor` (e.g. wall-clock seconds, heartbeat's
 * `hbgenmethod time`) lifts the result when the stored number was lost.
 */

/** Largest generation: `hg` is parsed as at most 13 hex digits. */
export const MAX_GENERATION = 2 ** 52 - 1;

export type NextGeneration =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly message: string };

export function nextGeneration(stored: string | undefined, floor = 0): NextGeneration {
  let prev = 0;
  if (stored !== undefined) {
    const m = /^([0-9]{1,16})\r?\n?$/.exec(stored);
    if (!m) return { ok: false, message: `not a generation number: ${JSON.stringify(stored.slice(0, 40))}` };
    prev = Number(m[1]);
  }
  const value = Math.max(prev + 1, Math.floor(floor));
  if (!Number.isSafeInteger(value) || value > MAX_GENERATION) {
    return { ok: false, message: `generation ${prev} cannot be increased further` };
  }
  return { ok: true, value };
}

/** What the adapter needs from a file system; `readText` resolves undefined when the file does not exist. */
export interface GenerationFs {
  readText(path: string): Promise<string | undefined>;
  /** Write and flush to stable storage before resolving. */
  writeDurable(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export async function bumpGeneration(
  path: string,
  fs: GenerationFs = nodeGenerationFs,
  floor = 0,
): Promise<number> {
  let stored: string | undefined;
  try {
    stored = await fs.readText(path);
  } catch (cause) {
    throw new WebfarmError('WF_ERR_CLUSTER_GENERATION', `${path}: cannot read the generation file`, {
      cause,
    });
  }
  const next = nextGeneration(stored, floor);
  if (!next.ok) throw new WebfarmError('WF_ERR_CLUSTER_GENERATION', `${path}: ${next.message}`);
  const tmp = `${path}.tmp`;
  try {
    await fs.writeDurable(tmp, `${next.value}\n`);
    await fs.rename(tmp, path);
  } catch (cause) {
    throw new WebfarmError('WF_ERR_CLUSTER_GENERATION', `${path}: cannot write the generation file`, {
      cause,
    });
  }
  return next.value;
}

export const nodeGenerationFs: GenerationFs = {
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  },
  async writeDurable(path, text) {
    const fh = await open(path, 'w', 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  async rename(from, to) {
    await rename(from, to);
    await syncDir(dirname(to));
  },
};

/** Make the rename itself durable; some file systems refuse to fsync a directory, which is fine. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (fh === undefined) return;
  await fh.sync().catch(() => undefined);
  await fh.close();
}
