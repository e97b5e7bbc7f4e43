import { parseAdminArgs } from './admin-args.ts';
import { adminRequest } from '../admin/client.ts';
import type { DiffSummary } from '../config/diff.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import { isWebfarmError } from '../model/errors.ts';
import type { CliIo } from './io.ts';

export const RELOAD_HELP = `Usage: webfarm reload [-s SOCKET] [--json]

Make the running director re-read its config file and apply only the difference (as SIGHUP does).
Real servers the config keeps keep their health, admin state, counters and connections. A config with
any error changes nothing: every error is printed as FILE:LINE:COL: message and the exit code is 1.
  --json            print the API's reply as JSON
  -s, --socket PATH admin socket (default: ${defaultSocketPath()})
`;

interface Reply {
  readonly config: string;
  readonly changed: DiffSummary;
  readonly operations: readonly string[];
}

export async function reloadCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseAdminArgs('reload', args);
  if (values.help) {
    io.stdout(RELOAD_HELP);
    return 0;
  }
  let reply: Reply;
  try {
    reply = (await adminRequest(values.socket ?? defaultSocketPath(), 'POST', '/v1/reload', {})) as Reply;
  } catch (e) {
    const errors = rejectedErrors(e);
    if (!errors) throw e;
    for (const line of errors) io.stderr(`${line}\n`);
    io.stderr(`webfarm: ${(e as Error).message}\n`);
    return 1;
  }
  io.stdout(values.json ? `${JSON.stringify(reply, null, 2)}\n` : describe(reply));
  return 0;
}

/** `webfarm: reloaded FILE: services +1 -0 ~0, real servers +1 -1 ~2` and one line per operation. */
export function describe(r: Reply): string {
  const n = (c: { added: number; removed: number; changed: number }) =>
    `+${c.added} -${c.removed} ~${c.changed}`;
  const extra = [r.changed.timeouts ? 'timeouts' : '', r.changed.health ? 'health checks' : ''].filter(
    Boolean,
  );
  const head = `webfarm: reloaded ${r.config}: services ${n(r.changed.services)}, real servers ${n(r.changed.reals)}${
    extra.length ? `, ${extra.join(', ')} changed` : ''
  }`;
  const ops = r.operations.length === 0 ? ['  (no change)'] : r.operations.map((o) => `  ${o}`);
  return `${[head, ...ops].join('\n')}\n`;
}

/** The `errors` list of a rejected reload (the API's error object carries every problem). */
function rejectedErrors(e: unknown): readonly string[] | undefined {
  if (!isWebfarmError(e)) return undefined;
  const error = (e.cause as { error?: { code?: string; errors?: unknown } } | undefined)?.error;
  if (!error?.code?.startsWith('WF_ERR_RELOAD_') || !Array.isArray(error.errors)) return undefined;
  return error.errors.map(String);
}
