import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ClusterFarm, VIP } from '../../test/system/support/cluster-farm.ts';
import { lineFrom } from '../../test/system/support/netns.ts';

const PROBE = fileURLToPath(new URL('./probe.mjs', import.meta.url));

/** A fresh connection every 10 ms, each bounded by 300 ms; a failover not over within 30 s is a failure. */
export const POLL = { everyMs: 10, timeoutMs: 300, giveUpMs: 30_000 } as const;

/** The client in its namespace, polling http://VIP/ on demand (probe.mjs poll). */
export class Poller {
  readonly #child: ChildProcessWithoutNullStreams;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
  }

  static async start(farm: ClusterFarm): Promise<Poller> {
    const child = farm.topo.spawn('c', [
      process.execPath,
      PROBE,
      'poll',
      `http://${VIP}/`,
      String(POLL.everyMs),
      String(POLL.timeoutMs),
      String(POLL.giveUpMs),
    ]);
    await lineFrom(child, (l) => l === 'ready', 'the client poller');
    return new Poller(child);
  }

  /** Start polling now; when the first 200 answer came and when its request started (epoch ms), or undefined when it gave up. */
  async firstSuccess(): Promise<{ at: number; startedAt: number } | undefined> {
    const line = lineFrom(
      this.#child,
      (l) => l.startsWith('ok ') || l.startsWith('fail '),
      'poll result',
      POLL.giveUpMs + 5000,
    );
    this.#child.stdin.write('go\n');
    const [verdict, at, , startedAt] = (await line).split(' ');
    return verdict === 'ok' ? { at: Number(at), startedAt: Number(startedAt) } : undefined;
  }
}
