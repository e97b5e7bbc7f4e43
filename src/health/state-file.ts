import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Health continuity across restarts: the damped health of each check (by check key), as JSON
 * `{ "version": 1, "checks": { "<key>": "up" | "down" } }`. Written atomically (temp file + rename) so a
 * crash mid-write leaves the previous file; read at start so a server recorded up starts up.
 */
export type RecordedHealth = ReadonlyMap<string, 'up' | 'down'>;

/** The recorded states; a missing file is empty, a corrupt one is empty and reported through `onError`. */
export async function readStateFile(
  path: string,
  onError: (message: string) => void,
): Promise<Map<string, 'up' | 'down'>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onError((e as Error).message);
    return new Map();
  }
  try {
    const doc = JSON.parse(text) as { version?: unknown; checks?: unknown };
    if (doc.version !== 1 || typeof doc.checks !== 'object' || doc.checks === null)
      throw new Error('not a version 1 state file');
    const out = new Map<string, 'up' | 'down'>();
    for (const [k, v] of Object.entries(doc.checks)) if (v === 'up' || v === 'down') out.set(k, v);
    return out;
  } catch (e) {
    onError(`${path}: ${(e as Error).message}`);
    return new Map();
  }
}

/**
 * Serialises writes: at most one in flight; a write requested meanwhile replaces any pending one (the
 * newest state wins). `flush()` resolves when everything requested so far is on disk.
 */
export class StateFileWriter {
  readonly #path: string;
  readonly #onError: (message: string) => void;
  #pending: RecordedHealth | undefined;
  #running: Promise<void> | undefined;

  constructor(path: string, onError: (message: string) => void) {
    this.#path = path;
    this.#onError = onError;
  }

  write(state: RecordedHealth): void {
    this.#pending = new Map(state);
    this.#running ??= this.#drain();
  }

  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#pending) {
      const state = this.#pending;
      this.#pending = undefined;
      try {
        await writeAtomic(
          this.#path,
          `${JSON.stringify({ version: 1, checks: Object.fromEntries(state) }, null, 1)}\n`,
        );
      } catch (e) {
        this.#onError((e as Error).message);
      }
    }
    this.#running = undefined;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}
