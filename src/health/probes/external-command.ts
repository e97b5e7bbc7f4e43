import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Where the external check's `command` lives: an absolute path, or a bare name looked up on `pathVar`
 * (PATH). Reads the file system (stat, access), so config checking sees a missing or non-executable
 * command before the director starts.
 */
export type CommandLookup = { ok: true; path: string } | { ok: false; problem: string };

export function findCommand(command: string, pathVar = process.env.PATH ?? ''): CommandLookup {
  if (command.includes('/')) {
    if (!isAbsolute(command)) {
      return { ok: false, problem: `${command} must be an absolute path or a name found on PATH` };
    }
    return executable(command)
      ? { ok: true, path: command }
      : { ok: false, problem: `${command} ${whyNot(command)}` };
  }
  for (const dir of pathVar.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    if (executable(candidate)) return { ok: true, path: candidate };
  }
  return { ok: false, problem: `${command} not found on PATH (${pathVar || 'empty'})` };
}

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function whyNot(path: string): string {
  try {
    if (!statSync(path).isFile()) return 'is not a regular file';
    return 'is not executable';
  } catch {
    return 'does not exist';
  }
}
