import { type ChildProcess, spawn } from 'node:child_process';
import type { Probe, ProbeFactory, ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import { findCommand } from './external-command.ts';
import { errorReason, finisher } from './probe-finish.ts';
import { required } from './settings-rules.ts';
import { unusedSettings } from './unused-settings.ts';

/**
 * `external` (ldirectord checktype=external): run `command vip vport rip rport` — argv, never a shell —
 * and call the server up iff it exits 0. The command runs in its own process group; when the check is
 * aborted the whole group is sent SIGKILL, so a script's own children (sleep, curl) go too. Its stdin is
 * /dev/null and its output is discarded. validate() reads the file system: `command` must be an absolute
 * path or a name on PATH, and executable.
 */
export const externalProbe: ProbeFactory = {
  type: 'external',
  summary: 'Run `command vip vport rip rport`; up when it exits 0 (killed at the check timeout)',
  validate(settings: ProbeSettings): string[] {
    const problems = unusedSettings('external', settings, ['command']);
    const missing = required('external', settings, 'command', 'the program to run');
    if (missing.length > 0 || settings.command === undefined) return [...problems, ...missing];
    const found = findCommand(settings.command);
    if (!found.ok) problems.push(`command: ${found.problem}`);
    return problems;
  },
  create: (): Probe => ({ type: 'external', run: runCommand }),
};

/** ldirectord's argument order: virtual address, virtual port, real address, real (check) port. */
export function commandArgs(target: ProbeTarget): string[] {
  return [target.virtualAddress, String(target.virtualPort), target.address, String(target.port)];
}

function runCommand(target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal): Promise<ProbeResult> {
  let child: ChildProcess | undefined;
  const f = finisher(signal, () => killGroup(child));
  if (f.done) return f.result;
  child = spawn(settings.command ?? '', commandArgs(target), { stdio: 'ignore', detached: true });
  child.on('error', (e) => f.fail(errorReason(e)));
  child.on('exit', (code, sig) => {
    if (code === 0) f.finish({ ok: true, detail: 'exit 0' });
    else f.fail(sig !== null ? `killed by ${sig}` : `exit ${code}`);
  });
  return f.result;
}

/** SIGKILL the child's process group (it leads one: detached), or the child alone if that fails. */
function killGroup(child: ChildProcess | undefined): void {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
