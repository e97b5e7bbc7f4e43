import { spawn } from 'node:child_process';

/**
 * Runs an argv (never through a shell) and collects its output: the adapter behind every external command
 * the cluster resources run (`ip`, `arping`, LSB scripts, STONITH, ping). Tests substitute a fake that
 * records the argv and answers from a table.
 */
export interface ProcessResult {
  /** Exit code, or null when killed by a signal or never started. */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it could not start (e.g. ENOENT), if so. */
  readonly error?: string;
}

export interface ProcessOptions {
  /** Killed with SIGKILL after this long, in ms (default 10 s). */
  readonly timeoutMs?: number;
}

export interface ProcessRunner {
  /** Never rejects: failures are values in the result. */
  run(argv: readonly string[], options?: ProcessOptions): Promise<ProcessResult>;
}

export const DEFAULT_PROCESS_TIMEOUT_MS = 10_000;
/** Output beyond this many bytes per stream is dropped (the commands we parse print a few KB). */
const MAX_OUTPUT = 1 << 20;

/** A one-line description of how a command ended, for events and logs. */
export function describeResult(r: ProcessResult): string {
  if (r.error !== undefined) return r.error;
  const why = r.signal !== null ? `killed by ${r.signal}` : `exit ${r.code}`;
  const err = r.stderr.trim().split('\n')[0] ?? '';
  return err === '' ? why : `${why}: ${err}`;
}

export function succeeded(r: ProcessResult): boolean {
  return r.code === 0;
}

/** The real runner: child_process.spawn, stdin closed, stdout/stderr captured as UTF-8. */
export const spawnProcessRunner: ProcessRunner = {
  run(argv, options = {}) {
    return new Promise((resolve) => {
      const [file, ...args] = argv;
      if (file === undefined) {
        resolve({ code: null, signal: null, stdout: '', stderr: '', error: 'empty command' });
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
      const collect = (into: Buffer[]) => (b: Buffer) => {
        if (into.reduce((n, x) => n + x.length, 0) < MAX_OUTPUT) into.push(b);
      };
      child.stdout.on('data', collect(out));
      child.stderr.on('data', collect(err));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS);
      const text = (b: Buffer[]) => Buffer.concat(b).toString('utf8');
      child.once('error', (e) => {
        clearTimeout(timer);
        resolve({ code: null, signal: null, stdout: text(out), stderr: text(err), error: e.message });
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout: text(out), stderr: text(err) });
      });
    });
  },
};
