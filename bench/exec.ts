import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Child processes of the benchmark. Every process started here is tracked by PID so `stopAll` (normal end,
 * failure, SIGINT) can end exactly those, and nothing else.
 */
export interface Started {
  readonly name: string;
  readonly pid: number;
  /** stdout+stderr so far. */
  output(): string;
  /** Resolve with the first match of `re` in the output after offset `from`; reject on exit or after `ms`. */
  waitForOutput(re: RegExp, ms: number, from?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL after a bound; resolves when the process is gone. */
  stop(): Promise<void>;
  readonly exited: Promise<number | null>;
}

const running = new Set<Started>();
/** Set by stopAll: from then on nothing new is started (a late start could outlive the cleanup). */
let closing = false;

function refuseWhenClosing(what: string): void {
  if (closing) throw new Error(`not starting ${what}: shutting down`);
}

/**
 * Start a tracked child. `group`: it leads a new process group, and stop() signals the whole group (the
 * child and whatever it started, e.g. the `nft` processes of bench/nft-control.ts).
 */
export function start(name: string, argv: readonly string[], cwd?: string, group = false): Started {
  refuseWhenClosing(name);
  const [cmd, ...args] = argv as [string, ...string[]];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd, detached: group });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(s);
      for (const w of waiters) w();
      resolve(code ?? (signal ? -1 : null));
    });
  });
  const s: Started = {
    name,
    pid: child.pid,
    output: () => out,
    exited,
    waitForOutput: (re, ms, from = 0) => waitFor(child, () => out.slice(from), re, ms, waiters, name),
    stop: () => stopChild(child, exited, group),
  };
  running.add(s);
  return s;
}

function waitFor(
  child: ChildProcess,
  text: () => string,
  re: RegExp,
  ms: number,
  waiters: Set<() => void>,
  name: string,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = re.exec(text());
      if (m) done(() => resolve(m));
      else if (child.exitCode !== null || child.signalCode !== null)
        done(() => reject(new Error(`${name} exited before ${re}: ${text().slice(-800)}`)));
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`${name}: no ${re} within ${ms} ms: ${text().slice(-800)}`))),
      ms,
    );
    const done = (f: () => void) => {
      clearTimeout(timer);
      waiters.delete(check);
      f();
    };
    waiters.add(check);
    check();
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, group: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  // A group leader's pid is its group id; the negative pid signals the whole group.
  const pid = group ? -child.pid : child.pid;
  const within = (ms: number) =>
    Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const gone = await within(5000);
  // A group may outlive its leader (a child still finishing): end the rest of it too.
  if (gone && !group) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await within(5000);
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly out: string;
}

/** Run to completion (killed after `timeoutMs`); stdout alone and stdout+stderr. */
export async function run(
  argv: readonly string[],
  timeoutMs: number,
  cwd?: string,
  /** Cleanup commands (ip netns delete) still run after stopAll. */
  duringCleanup = false,
): Promise<RunResult> {
  if (!duringCleanup) refuseWhenClosing(argv[0] ?? '');
  const [cmd, ...args] = argv as [string, ...string[]];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let stdout = '';
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
    out += b.toString('utf8');
  });
  child.stderr.on('data', (b: Buffer) => {
    out += b.toString('utf8');
  });
  const tracked: Started = {
    name: cmd,
    pid: child.pid ?? -1,
    output: () => out,
    waitForOutput: () => Promise.reject(new Error('not supported')),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
    exited: Promise.resolve(null),
  };
  running.add(tracked);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    return { code, stdout, out };
  } finally {
    clearTimeout(timer);
    running.delete(tracked);
  }
}

/** Run and require exit code 0. */
export async function runOk(
  argv: readonly string[],
  timeoutMs = 10_000,
  duringCleanup = false,
): Promise<string> {
  const r = await run(argv, timeoutMs, undefined, duringCleanup);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}): ${r.out.trim()}`);
  return r.stdout;
}

/** End every process this module started that is still running, by PID. */
export async function stopAll(): Promise<void> {
  closing = true;
  await Promise.all([...running].map((s) => s.stop()));
}
