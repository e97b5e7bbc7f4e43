import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Line readers over a child's stdout (the lab's agents and the system tests' peers print one event a line). */

/** Resolve with the first stdout line of `child` that satisfies `pred`; rejects after `ms` or when it exits. */
export function lineFrom(
  child: ChildProcessWithoutNullStreams,
  pred: (line: string) => boolean,
  what: string,
  ms = 5000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (f: () => void) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      f();
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`))),
      ms,
    );
    const onExit = (code: number | null) =>
      done(() => reject(new Error(`exited (${code}) waiting for ${what}`)));
    const onData = (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      const hit = lines.find(pred);
      if (hit !== undefined) done(() => resolve(hit));
    };
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Call `f` with each complete stdout line of `child`. */
export function onLines(child: ChildProcessWithoutNullStreams, f: (line: string) => void): void {
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) f(l);
  });
}
