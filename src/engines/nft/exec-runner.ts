import { spawn } from 'node:child_process';

/** One finished command. `errno` is set when it could not be started (ENOENT: not installed, EACCES). */
export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly errno?: string;
}

/** Runs an argv (never through a shell), optionally feeding `stdin`. Never rejects. */
export interface ExecRunner {
  run(argv: readonly string[], stdin?: string): Promise<ExecResult>;
  /** The argv that `run` would start for `argv` (for long-lived children such as `nft -i`); absent = cannot. */
  wrap?(argv: readonly string[]): readonly string[];
}

/** The real runner: child_process.spawn, shell off, output collected as UTF-8. */
export const spawnExec: ExecRunner = {
  wrap: (argv) => argv,
  run(argv, stdin) {
    return new Promise((resolve) => {
      const [file, ...args] = argv;
      if (file === undefined) return resolve({ code: null, stdout: '', stderr: 'empty command' });
      const child = spawn(file, args, { shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ code: null, stdout: '', stderr: e.message, errno: e.code ?? 'EIO' }),
      );
      child.on('close', (code) =>
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      child.stdin.on('error', () => {});
      child.stdin.end(stdin ?? '');
    });
  },
};

/** A recording fake for unit tests: answers from `respond` (default: success, empty output). */
export class FakeExec implements ExecRunner {
  readonly calls: Array<{ argv: readonly string[]; stdin: string | undefined }> = [];
  respond: (argv: readonly string[], stdin: string | undefined) => ExecResult;

  constructor(respond?: (argv: readonly string[], stdin: string | undefined) => ExecResult) {
    this.respond = respond ?? (() => ({ code: 0, stdout: '', stderr: '' }));
  }

  async run(argv: readonly string[], stdin?: string): Promise<ExecResult> {
    this.calls.push({ argv, stdin });
    return this.respond(argv, stdin);
  }
}

/** Runs every command inside network namespace `ns` (`ip netns exec NS …`): tests and benchmarks. */
export function netnsExec(ns: string, inner: ExecRunner = spawnExec): ExecRunner {
  const wrap = (argv: readonly string[]) => ['ip', 'netns', 'exec', ns, ...argv];
  const outer = inner.wrap;
  return {
    run: (argv, stdin) => inner.run(wrap(argv), stdin),
    ...(outer ? { wrap: (argv: readonly string[]) => outer(wrap(argv)) } : {}),
  };
}
