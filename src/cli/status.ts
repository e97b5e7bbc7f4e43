import { parseArgs } from 'node:util';
import { adminRequest } from '../admin/client.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import type { CliIo } from './io.ts';
import { type StatusDoc, formatStatus } from './status-format.ts';
import { usageError } from './usage.ts';

export const STATUS_HELP = `Usage: webfarm status [--json] [-s SOCKET]

Show the running director's virtual services and real servers (weights, health, connection counts).
  --json            print the status document as JSON
  -s, --socket PATH admin socket (default: ${defaultSocketPath()})
`;

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCli(args);
  if (values.help) {
    io.stdout(STATUS_HELP);
    return 0;
  }
  const doc = (await adminRequest(values.socket ?? defaultSocketPath(), 'GET', '/v1/status')) as StatusDoc;
  io.stdout(values.json ? `${JSON.stringify(doc, null, 2)}\n` : formatStatus(doc));
  return 0;
}

function parseCli(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        socket: { type: 'string', short: 's' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw usageError('status', e);
  }
}
