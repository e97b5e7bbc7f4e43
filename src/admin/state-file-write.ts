import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Director } from '../director/director.ts';
import { WebfarmError } from '../model/errors.ts';
import { formatState, stateOf } from './state-file.ts';

/** The file-system steps of an atomic replace; injectable so tests can fail or stop between them. */
export interface AtomicFs {
  mkdir(dir: string): Promise<void>;
  /** Create or truncate `path` (mode 0600), write `text`, fsync, close. */
  writeSynced(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** fsync a directory so a rename in it is durable. */
  syncDir(dir: string): Promise<void>;
  remove(path: string): Promise<void>;
}

export const nodeAtomicFs: AtomicFs = {
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  },
  writeSynced: async (path, text) => {
    const fh = await open(path, 'w', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  rename: (from, to) => rename(from, to),
  syncDir: async (dir) => {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  remove: (path) => unlink(path),
};

let sequence = 0;

/**
 * Replace `path` with `text` so that at every instant — including a crash between any two steps — the
 * file holds either its old content or all of the new: write a temp file in the same directory (same
 * file system, so rename is atomic), fsync it, rename it over `path`, fsync the directory. A failure
 * before the rename removes the temp file and leaves `path` untouched.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  fs: AtomicFs = nodeAtomicFs,
): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${++sequence}`);
  try {
    await fs.mkdir(dir);
    await fs.writeSynced(tmp, text);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.remove(tmp).catch(() => undefined);
    throw new WebfarmError('WF_ERR_STATE_FILE', `cannot write ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  await fs.syncDir(dir).catch(() => undefined);
}

export interface PersisterOptions {
  readonly fs?: AtomicFs;
  /** A write that failed (the previous file stays); the next change tries again. */
  readonly onError: (e: Error) => void;
}

/**
 * Keeps the state file equal to the director's table: `changed()` after anything that may have changed
 * it (every director event does so once `start()`ed); writes only when the serialised table differs
 * from the last one requested, at most one write in flight, the newest pending state replacing any
 * older one. `suspend()`/`resume()` hold writes during a reload so no half-applied table is written.
 */
export class StatePersister {
  readonly path: string;
  readonly #director: Director;
  readonly #fs: AtomicFs;
  readonly #onError: (e: Error) => void;
  #digest: string;
  #last: string | undefined;
  #pending: string | undefined;
  #running: Promise<void> | undefined;
  #held = 0;
  #dirty = false;
  #unsubscribe: (() => void) | undefined;

  constructor(path: string, director: Director, configDigest: string, o: PersisterOptions) {
    this.path = path;
    this.#director = director;
    this.#digest = configDigest;
    this.#fs = o.fs ?? nodeAtomicFs;
    this.#onError = o.onError;
  }

  /** Follow the director's events and write the current table now. */
  start(): void {
    this.#unsubscribe ??= this.#director.on(() => this.changed());
    this.changed();
  }

  /** After a reload: the table now descends from the config with this digest. */
  rebase(configDigest: string): void {
    this.#digest = configDigest;
    this.changed();
  }

  changed(): void {
    if (this.#held > 0) {
      this.#dirty = true;
      return;
    }
    const text = formatState(stateOf(this.#director, this.#digest));
    if (text === this.#last) return;
    this.#last = text;
    this.#pending = text;
    this.#running ??= this.#drain();
  }

  suspend(): void {
    this.#held++;
  }

  resume(): void {
    this.#held = Math.max(0, this.#held - 1);
    if (this.#held === 0 && this.#dirty) {
      this.#dirty = false;
      this.changed();
    }
  }

  /** Resolves when everything requested so far is written (or has failed and been reported). */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.flush();
  }

  async #drain(): Promise<void> {
    while (this.#pending !== undefined) {
      const text = this.#pending;
      this.#pending = undefined;
      try {
        await writeFileAtomic(this.path, text, this.#fs);
      } catch (e) {
        // Forget what was "last written" so the next change writes again.
        if (this.#last === text) this.#last = undefined;
        this.#onError(e as Error);
      }
    }
    this.#running = undefined;
  }
}
