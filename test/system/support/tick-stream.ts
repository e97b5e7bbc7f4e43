import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { lineFrom, PEER, type Topology } from './netns.ts';
import { waitFor } from './cluster-farm.ts';

/**
 * One long-lived TCP connection from a client namespace (peer.mjs `stream`): the real server greets with
 * "NAME CLIENTADDR", then echoes every line. Ticks `tick 1`, `tick 2`, … are written one at a time
 * (`tick`, waiting for the echo) or in the background every `everyMs` ms (`pump`), e.g. while the
 * address moves; `drained` waits until every tick sent has come back and checks they all did, in order,
 * with no reset or close on the way. peer.mjs's own "timeout" lines (no echo within 3 s, as while TCP
 * retransmits towards a dead director) are not failures: only a missing or reordered echo, an error or a
 * close are.
 */
export class TickStream {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  #sent = 0;
  #pump: NodeJS.Timeout | undefined;
  /** The real server's name from the greeting. */
  readonly server: string;

  private constructor(child: ChildProcessWithoutNullStreams, server: string) {
    this.#child = child;
    this.server = server;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      this.#lines.push(...lines);
    });
  }

  /** Connect from `host` to addr:port; resolves with the greeting read. */
  static async open(topo: Topology, host: string, addr: string, port: number): Promise<TickStream> {
    const child = topo.spawn(host, [process.execPath, PEER, 'stream', addr, String(port)]);
    const greeting = await lineFrom(child, () => true, 'the greeting');
    return new TickStream(child, greeting.split(' ')[0] as string);
  }

  get sent(): number {
    return this.#sent;
  }

  /** Send the next tick and wait (bounded) for every tick so far to come back. */
  async tick(): Promise<void> {
    this.#send();
    await this.drained('the echo');
  }

  /** Send a tick every `everyMs` ms until stopPump(). */
  pump(everyMs = 10): void {
    this.stopPump();
    this.#pump = setInterval(() => this.#send(), everyMs);
  }

  stopPump(): void {
    if (this.#pump !== undefined) clearInterval(this.#pump);
    this.#pump = undefined;
  }

  /** Wait (at most `ms`) until all ticks sent are echoed; assert they are exactly tick 1…n, in order. */
  async drained(what: string, ms = 10_000): Promise<void> {
    const broken = () => this.#lines.filter((l) => /^(error|closed)/.test(l));
    await waitFor(
      () => this.#echoes().length,
      (n) => n >= this.#sent || broken().length > 0,
      `${what}: ${this.#sent} ticks echoed`,
      ms,
    );
    assert.deepEqual(broken(), [], `${what}: the stream broke`);
    const want = Array.from({ length: this.#sent }, (_, i) => `tick ${i + 1}`);
    assert.deepEqual(this.#echoes(), want, `${what}: every tick echoed once, in order`);
  }

  close(): void {
    this.stopPump();
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }

  #echoes(): string[] {
    return this.#lines.filter((l) => l.startsWith('tick '));
  }

  #send(): void {
    this.#sent += 1;
    this.#child.stdin.write(`tick ${this.#sent}\n`);
  }
}
