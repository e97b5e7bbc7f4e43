import { WebfarmError } from '../model/errors.ts';

/** A bad command line: one line naming the command and what was wrong (parseArgs' own message). */
export function usageError(command: string, e: unknown): WebfarmError {
  const msg = e instanceof Error ? e.message : String(e);
  return new WebfarmError('WF_ERR_CLI_USAGE', `webfarm ${command}: ${msg} (see webfarm ${command} --help)`);
}
