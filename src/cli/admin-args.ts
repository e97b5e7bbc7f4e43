import { parseArgs } from 'node:util';
import { usageError } from './usage.ts';

/**
 * The options every read-or-poke command shares (`--json`, `-s/--socket`, `-h/--help`), parsed strictly;
 * a bad command line becomes WF_ERR_CLI_USAGE naming `command`.
 */
export function parseAdminArgs(command: string, args: string[], allowPositionals = false) {
  try {
    return parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        socket: { type: 'string', short: 's' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals,
    });
  } catch (e) {
    throw usageError(command, e);
  }
}
