import { parseAdminArgs } from './admin-args.ts';
import { adminRequest } from '../admin/client.ts';
import type { ClusterDoc } from '../admin/routes/cluster.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import type { CliIo } from './io.ts';
import { type StatusDoc, formatStatus } from './status-format.ts';

export const STATUS_HELP = `Usage: webfarm status [--json] [-s SOCKET]

Show the running director's virtual services and real servers (weights, health, connection counts), and
its cluster (peers and links, resource groups and who holds them) when it runs one.
  --json            print the status document as JSON
  -s, --socket PATH admin socket (default: ${defaultSocketPath()})
`;

export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseAdminArgs('status', args);
  if (values.help) {
    io.stdout(STATUS_HELP);
    return 0;
  }
  const socket = values.socket ?? defaultSocketPath();
  const doc = (await adminRequest(socket, 'GET', '/v1/status')) as StatusDoc;
  const cluster = await clusterDoc(socket);
  if (cluster) doc.cluster = cluster;
  io.stdout(values.json ? `${JSON.stringify(doc, null, 2)}\n` : formatStatus(doc));
  return 0;
}

/** GET /v1/cluster; undefined when the director runs no cluster (409 WF_ERR_CLUSTER_UNAVAILABLE). */
async function clusterDoc(socket: string): Promise<ClusterDoc | undefined> {
  try {
    return (await adminRequest(socket, 'GET', '/v1/cluster')) as ClusterDoc;
  } catch (e) {
    const code = (e as { cause?: { error?: { code?: string } } }).cause?.error?.code;
    if (code === 'WF_ERR_CLUSTER_UNAVAILABLE') return undefined;
    throw e;
  }
}
