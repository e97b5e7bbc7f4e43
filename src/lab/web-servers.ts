import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { lineFrom, onLines } from './child-lines.ts';
import type { Topology } from './netns.ts';
import type { ConnEvent, RequestOutcome } from './observations.ts';
import type { ClientHost } from './scenario-schema.ts';

/**
 * The lab's built-in web servers and clients (agent.mjs run in the hosts' namespaces): start, kill by PID,
 * restart, hang/slow/normal; every request a server receives (`conns`) and every client outcome
 * (`requests`) recorded with its time.
 */

const AGENT = fileURLToPath(new URL('./agent.mjs', import.meta.url));

export type WebState = 'kill' | 'start' | 'hang' | 'slow' | 'normal';

interface Web {
  child: ChildProcessWithoutNullStreams | undefined;
  readonly argv: readonly string[];
}

export interface WebSpec {
  readonly port: number;
  readonly bind: string;
  readonly body: string;
}

export class WebServers {
  readonly requests: RequestOutcome[] = [];
  readonly conns: ConnEvent[] = [];
  readonly #topo: Topology;
  readonly #web = new Map<string, Web[]>();
  readonly #clients: ChildProcessWithoutNullStreams[] = [];

  constructor(topo: Topology) {
    this.#topo = topo;
  }

  has(host: string): boolean {
    return (this.#web.get(host) ?? []).length > 0;
  }

  /** Start a host's web servers; resolves when each listens. */
  async add(host: string, specs: readonly WebSpec[]): Promise<void> {
    const webs = specs.map((w) => ({
      child: undefined,
      argv: [process.execPath, AGENT, 'http', host, String(w.port), w.bind, w.body],
    }));
    this.#web.set(host, webs);
    for (const w of webs) await this.#start(host, w);
  }

  /** Kill (SIGKILL by PID), start again, or set the mode (hang/slow MS/normal) of a host's web servers. */
  async set(host: string, state: WebState, delayMs: number): Promise<void> {
    const webs = this.#web.get(host) ?? [];
    if (webs.length === 0) throw new Error(`${host} runs no web server`);
    for (const w of webs) {
      const alive = w.child !== undefined && w.child.exitCode === null && w.child.signalCode === null;
      if (state === 'kill') {
        if (!alive || !w.child) continue;
        const exited = once(w.child, 'exit');
        process.kill(w.child.pid as number, 'SIGKILL');
        await exited;
      } else if (state === 'start') {
        if (!alive) await this.#start(host, w);
      } else {
        if (!alive || !w.child) throw new Error(`${host}'s web server is not running`);
        w.child.stdin.write(state === 'slow' ? `slow ${delayMs}\n` : `${state}\n`);
      }
    }
  }

  /** Start a client's bounded request loop (ended by stopClients or the topology's destroy). */
  startClient(h: ClientHost): void {
    const argv = [process.execPath, AGENT, 'client', h.target, String(h.rate), String(h.timeout)];
    const child = this.#topo.spawn(h.name, argv);
    this.#clients.push(child);
    onLines(child, (l) => {
      try {
        this.requests.push(JSON.parse(l) as RequestOutcome);
      } catch {}
    });
  }

  /** Close the clients' stdin (they finish the request in flight and exit); bounded. */
  async stopClients(): Promise<void> {
    for (const c of this.#clients) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const exited = once(c, 'exit');
      c.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    }
  }

  async #start(host: string, w: Web): Promise<void> {
    const child = this.#topo.spawn(host, w.argv);
    w.child = child;
    onLines(child, (l) => {
      const m = /^req (\d+) (.*)$/.exec(l);
      if (m) this.conns.push({ t: Number(m[1]), host, path: m[2] ?? '' });
    });
    await lineFrom(child, (l) => l === 'ready', `${host} web server`);
  }
}
