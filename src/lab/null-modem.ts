import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Topology } from './netns.ts';

/**
 * A null-modem cable for the serial medium: a `socat` pty pair run in `host`'s namespace, its two ends
 * symlinked at `endA` and `endB`. Resolves with the child once socat says it is transferring (bounded:
 * 5 s, after which socat is killed and the promise rejects); the caller ends it by its PID.
 */
export async function startNullModem(
  topo: Topology,
  host: string,
  endA: string,
  endB: string,
): Promise<ChildProcessWithoutNullStreams> {
  const child = topo.spawn(host, [
    'socat',
    '-d',
    '-d',
    `PTY,link=${endA},raw,echo=0`,
    `PTY,link=${endB},raw,echo=0`,
  ]);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // ours, by its handle: nothing is left behind when the start fails
      reject(new Error(`socat did not start: ${seen}`));
    }, 5000);
    child.stderr.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}
