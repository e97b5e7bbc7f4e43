import type { RealServer } from './real-server.ts';

/**
 * Persistence templates (seed-system §4.4, kernel ip_vs_sched_persist). A template binds a client group —
 * (protocol, client address AND netmask, virtual address, virtual port or 0 for a port-0 service) — to a
 * real server for `timeoutMs`, re-armed on every use. A template never expires while it still controls
 * live connections.
 */
export interface Template {
  readonly key: string;
  readonly dest: RealServer;
  expiresMs: number;
  /** Live connections created through this template. */
  controlled: number;
}

export class PersistenceTable {
  readonly #byKey = new Map<string, Template>();

  constructor(readonly timeoutMs: number) {}

  get size(): number {
    return this.#byKey.size;
  }

  /** The live template for `key`, or undefined (an expired one is removed on the way). */
  lookup(key: string, nowMs: number): Template | undefined {
    const t = this.#byKey.get(key);
    if (!t) return undefined;
    if (t.expiresMs <= nowMs && t.controlled === 0) {
      this.delete(t);
      return undefined;
    }
    return t;
  }

  create(key: string, dest: RealServer, nowMs: number): Template {
    const t: Template = { key, dest, expiresMs: nowMs + this.timeoutMs, controlled: 0 };
    this.#byKey.set(key, t);
    dest.persistConns++;
    return t;
  }

  touch(t: Template, nowMs: number): void {
    t.expiresMs = nowMs + this.timeoutMs;
  }

  delete(t: Template): void {
    if (this.#byKey.get(t.key) === t) {
      this.#byKey.delete(t.key);
      t.dest.persistConns--;
    }
  }

  /** Drop every template of `dest` (real server removed, or quiescent templates expired by option). */
  dropDest(dest: RealServer): void {
    for (const t of this.#byKey.values()) if (t.dest === dest) this.delete(t);
  }

  /** Remove expired, uncontrolled templates. Returns how many went. */
  sweep(nowMs: number): number {
    let n = 0;
    for (const t of this.#byKey.values()) {
      if (t.expiresMs <= nowMs && t.controlled === 0) {
        this.delete(t);
        n++;
      }
    }
    return n;
  }

  entries(): IterableIterator<Template> {
    return this.#byKey.values();
  }
}
