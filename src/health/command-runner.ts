import { spawn } from 'node:child_process';

/** How a command ended: exit code, or the signal that killed it, or why it could not start. */
export interface CommandOutcome {
  readonly code: number | null;
  readonly signal: string | null;
  readonly error?: string;
}

export interface CommandOptions {
  /** Added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Killed with SIGKILL after this long (default 10 s). */
  readonly timeoutMs?: number;
}

/** Runs an argv (never through a shell). The adapter behind fallback_command and alert commands. */
export interface CommandRunner {
  run(argv: readonly string[], options?: CommandOptions): Promise<CommandOutcome>;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/** The real runner: child_process.spawn with stdio ignored; never rejects. */
export const spawnRunner: CommandRunner = {
  run(argv, options = {}) {
    return new Promise((resolve) => {
      const [file, ...args] = argv;
      if (file === undefined) return resolve({ code: null, signal: null, error: 'empty command' });
      const child = spawn(file, args, {
        stdio: 'ignore',
        shell: false,
        env: { ...process.env, ...options.env },
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
      timer.unref();
      child.once('error', (e) => {
        clearTimeout(timer);
        resolve({ code: null, signal: null, error: e.message });
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });
  },
};
