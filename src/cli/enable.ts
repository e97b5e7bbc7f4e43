import { parseAdminArgs } from './admin-args.ts';
import { adminRequest } from '../admin/client.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import type { CliIo } from './io.ts';
import { realPath, resolveService } from './real-target.ts';
import { usageError } from './usage.ts';

export const ENABLE_HELP = `Usage: webfarm enable SERVICE REAL [--json] [-s SOCKET]

Put a drained (or draining, or in maintenance) real server back in service: admin state enabled, its
configured weight again. A drain in progress is cancelled.
  SERVICE             tcp:ADDR:PORT, udp:ADDR:PORT, ADDR:PORT (TCP) or the service's name
  REAL                ADDR:PORT ([v6]:PORT)
  --json              print the real server as JSON
  -s, --socket PATH   admin socket (default: ${defaultSocketPath()})
`;

export async function enableCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseAdminArgs('enable', args, true);
  if (values.help) {
    io.stdout(ENABLE_HELP);
    return 0;
  }
  if (positionals.length !== 2) throw usageError('enable', new Error('expected SERVICE and REAL'));
  const socket = values.socket ?? defaultSocketPath();
  const sid = await resolveService(socket, positionals[0] as string);
  const rid = positionals[1] as string;
  const real = (await adminRequest(socket, 'POST', `${realPath(sid, rid)}/enable`, {})) as {
    weight: number;
    admin: string;
  };
  io.stdout(
    values.json
      ? `${JSON.stringify(real, null, 2)}\n`
      : `webfarm: ${rid} in ${sid} enabled (weight ${real.weight})\n`,
  );
  return 0;
}
