import { type ActionResult, failed, OK, type Resource } from './resource.ts';

/**
 * A resource group: one haresources line (seed-system.md §2.7), `PREFERRED-NODE R1 R2 … RN`.
 * - The key is the first resource's name; "owned here" = the first resource's status is running.
 * - take: if owned, nothing (idempotent). Otherwise start R1 … RN left to right. If Ri fails, stop
 *   Ri … R1 right to left (Ri too: a failed start may have half-done its work, and stops are idempotent),
 *   and report Ri's reason; the group is then not owned. Heartbeat only logged failures and carried on,
 *   which can leave an address up with its services down; we prefer all or nothing.
 * - give: if not owned, nothing. Otherwise stop RN … R1 right to left, carrying on past failures (the
 *   address must go even if a script's stop fails); the result names every failure.
 * - release: as give, but whenever any resource is running, owned or not. For a node that holds nothing
 *   by definition (starting, stopping): a killed process may leave a later resource behind while the first
 *   one is down, e.g. an address after a `services` resource whose engine state died with the process.
 * Operations on one group never overlap: each waits for the previous one.
 */
export interface GroupResult {
  readonly result: ActionResult;
  /** Whether anything was started or stopped (false: it already was as asked). */
  readonly changed: boolean;
  /** Ownership afterwards, by the first resource's status. */
  readonly owned: boolean;
}

export class ResourceGroup {
  readonly key: string;
  readonly preferred: string;
  readonly resources: readonly Resource[];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(preferred: string, resources: readonly Resource[]) {
    const first = resources[0];
    if (first === undefined) throw new Error(`resource group for ${preferred} has no resources`);
    this.key = first.name;
    this.preferred = preferred;
    this.resources = resources;
  }

  /** Whether the group is owned here: the first resource's status. */
  owned(): Promise<boolean> {
    return this.#serial(() => this.#owned());
  }

  take(): Promise<GroupResult> {
    return this.#serial(async () => {
      if (await this.#owned()) return { result: OK, changed: false, owned: true };
      for (let i = 0; i < this.resources.length; i += 1) {
        const r = this.resources[i] as Resource;
        const started = await r.start();
        if (started.ok) continue;
        await this.#stopFrom(i);
        return { result: failed(`${r.name}: ${started.reason}`), changed: true, owned: await this.#owned() };
      }
      return { result: OK, changed: true, owned: await this.#owned() };
    });
  }

  give(): Promise<GroupResult> {
    return this.#serial(async () => {
      if (!(await this.#owned())) return { result: OK, changed: false, owned: false };
      const reasons = await this.#stopFrom(this.resources.length - 1);
      const result = reasons.length === 0 ? OK : failed(reasons.join('; '));
      return { result, changed: true, owned: await this.#owned() };
    });
  }

  release(): Promise<GroupResult> {
    return this.#serial(async () => {
      let running = false;
      for (const r of this.resources) if ((await r.status()) === 'running') running = true;
      if (!running) return { result: OK, changed: false, owned: false };
      const reasons = await this.#stopFrom(this.resources.length - 1);
      const result = reasons.length === 0 ? OK : failed(reasons.join('; '));
      return { result, changed: true, owned: await this.#owned() };
    });
  }

  /** Re-announce every resource that can (gratuitous ARP for addresses). */
  announce(): void {
    for (const r of this.resources) r.announce?.();
  }

  /** Stop resources i … 0, right to left; the failures' reasons. */
  async #stopFrom(i: number): Promise<string[]> {
    const reasons: string[] = [];
    for (let j = i; j >= 0; j -= 1) {
      const r = this.resources[j] as Resource;
      const stopped = await r.stop();
      if (!stopped.ok) reasons.push(`${r.name}: ${stopped.reason}`);
    }
    return reasons;
  }

  async #owned(): Promise<boolean> {
    return (await (this.resources[0] as Resource).status()) === 'running';
  }

  #serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(f, f);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
