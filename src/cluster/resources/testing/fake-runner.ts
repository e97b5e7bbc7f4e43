import type { ProcessOptions, ProcessResult, ProcessRunner } from '../process-runner.ts';

/** A ProcessRunner for tests: records every argv and answers from `handler` (default: exit 0, no output). */
export type FakeHandler = (
  argv: readonly string[],
) => Partial<ProcessResult> | Promise<Partial<ProcessResult>>;

export class FakeRunner implements ProcessRunner {
  readonly calls: string[][] = [];
  readonly options: (ProcessOptions | undefined)[] = [];
  handler: FakeHandler;

  constructor(handler: FakeHandler = () => ({})) {
    this.handler = handler;
  }

  async run(argv: readonly string[], options?: ProcessOptions): Promise<ProcessResult> {
    this.calls.push([...argv]);
    this.options.push(options);
    const r = await this.handler(argv);
    return { code: 0, signal: null, stdout: '', stderr: '', ...r };
  }

  /** The recorded argvs as space-joined strings (readable in assertion diffs). */
  lines(): string[] {
    return this.calls.map((c) => c.join(' '));
  }
}

export function exit(code: number, stdout = '', stderr = ''): Partial<ProcessResult> {
  return { code, stdout, stderr };
}
