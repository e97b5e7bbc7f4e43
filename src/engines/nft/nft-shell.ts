import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { ExecResult } from './exec-runner.ts';

/**
 * A long-lived `nft -i` (interactive) child fed one-line batches over stdin: no process start and no
 * library initialisation per change (docs/nft-engine.md "Applying changes"). Each line is one
 * nft_run_cmd_from_buffer call, i.e. one netlink transaction: its `;`-separated commands are applied all
 * or nothing. nft -i says nothing on success, so every batch is followed by a sentinel line `wfsync<N>`,
 * which nft refuses as a syntax error on stderr, echoing it. Everything on stderr between the batch and
 * that echo is the batch's own error; stderr is one ordered stream, so the two cannot interleave.
 */
export class NftShell {
  readonly #argv: readonly string[];
  readonly #timeoutMs: number;
  #child: ChildProcessWithoutNullStreams | undefined;
  #err = '';
  #seq = 0;
  #waiting: { tag: string; done: (r: ExecResult) => void } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** `argv` runs nft, e.g. ['nft'] or ['ip', 'netns', 'exec', NS, 'nft']; `-i` is appended. */
  constructor(argv: readonly string[], timeoutMs = 10_000) {
    this.#argv = argv;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Apply one batch of complete one-line commands (newlines become `;`). Resolves with the outcome as an
   * ExecResult (code 0, or 1 with nft's error on stderr); never rejects. The child is started on first use
   * and again after it died or timed out (then the result has `errno`, and the caller may retry by exec).
   */
  apply(script: string): Promise<ExecResult> {
    const run = this.#queue.then(() => this.#apply(script));
    this.#queue = run;
    return run;
  }

  close(): void {
    const c = this.#child;
    this.#child = undefined;
    if (c && c.exitCode === null) c.stdin.end();
  }

  #apply(script: string): Promise<ExecResult> {
    const child = this.#ensure();
    const line = script
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join('; ');
    const tag = `wfsync${++this.#seq}`;
    const start = this.#err.length;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#kill(child);
        finish({ code: null, stdout: '', stderr: 'nft -i did not answer', errno: 'ETIMEDOUT' });
      }, this.#timeoutMs);
      const finish = (r: ExecResult) => {
        clearTimeout(timer);
        this.#waiting = undefined;
        resolve(r);
      };
      this.#waiting = {
        tag,
        done: (r) => finish(r.errno ? r : outcome(this.#err.slice(start), tag)),
      };
      child.stdin.write(`${line}\n${tag}\n`);
      this.#check();
    });
  }

  #ensure(): ChildProcessWithoutNullStreams {
    if (this.#child && this.#child.exitCode === null) return this.#child;
    const [file, ...args] = this.#argv;
    const child = spawn(file ?? 'nft', [...args, '-i'], { shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#err = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => {
      this.#err += d.toString('utf8');
      this.#check();
    });
    child.stdin.on('error', () => {});
    // Only the current child's end concerns the waiting batch (a child killed on timeout was replaced).
    const died = (why: string) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      this.#waiting?.done({ code: null, stdout: '', stderr: why, errno: 'EPIPE' });
    };
    child.on('error', (e) => died(e.message));
    child.on('exit', () => died('nft -i exited'));
    return child;
  }

  /** Is the sentinel's echo in? Then settle the waiting batch; trim what is no longer needed. */
  #check(): void {
    const w = this.#waiting;
    if (!w) return;
    // The echo and its caret line: nothing of this report may spill into the next batch's stderr.
    if (!new RegExp(`^${w.tag}\\n[ ^~]*\\n`, 'm').test(this.#err)) return;
    w.done({ code: 0, stdout: '', stderr: '' });
    this.#err = '';
  }

  #kill(child: ChildProcessWithoutNullStreams): void {
    if (this.#child === child) this.#child = undefined;
    child.kill('SIGKILL');
  }
}

/** The batch's own error: stderr before the sentinel's "Error: syntax error" report. */
export function outcome(stderr: string, tag: string): ExecResult {
  const echo = stderr.search(new RegExp(`^${tag}$`, 'm'));
  const upto = echo < 0 ? stderr : stderr.slice(0, echo);
  const own = upto.slice(0, Math.max(0, upto.lastIndexOf('Error: syntax error'))).trim();
  return own === '' ? { code: 0, stdout: '', stderr: '' } : { code: 1, stdout: '', stderr: own };
}
