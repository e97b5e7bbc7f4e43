import { parseArgs } from 'node:util';
import { adminRequest } from '../admin/client.ts';
import type { ClusterDoc } from '../admin/routes/cluster.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import { WebfarmError } from '../model/errors.ts';
import type { CliIo } from './io.ts';
import { usageError } from './usage.ts';

/**
 * `webfarm standby` and `webfarm takeover` (heartbeat's hb_standby / hb_takeover): POST
 * /v1/cluster/{standby,takeover}. The director answers at once (accepted, or refused with the reason:
 * exit 1); `--wait` then follows GET /v1/cluster until the groups are where the command puts them —
 * standby: none held here; takeover: every group held here — or `--timeout` passes (exit 1).
 */
export type ClusterCommandKind = 'standby' | 'takeover';

export function clusterCommandHelp(kind: ClusterCommandKind): string {
  const what =
    kind === 'standby'
      ? 'Give every resource group this director holds to the peer (hb_standby). Refused while the peer is\nnot up (nobody could take them).'
      : 'Take every resource group (hb_takeover): the peer is asked for the groups it holds, the others are\ntaken directly. Refused while a STONITH reset is pending.';
  return `Usage: webfarm ${kind} [--wait [--timeout SECONDS]] [--json] [-s SOCKET]

${what}
  --wait            wait until the groups have moved (default: return once the director accepted)
  --timeout SECONDS how long --wait waits (default 10)
  --json            print the cluster document (GET /v1/cluster) afterwards as JSON
  -s, --socket PATH admin socket (default: ${defaultSocketPath()})
`;
}

const POLL_MS = 100;

export async function clusterCommand(kind: ClusterCommandKind, args: string[], io: CliIo): Promise<number> {
  const { values } = parseCli(kind, args);
  if (values.help) {
    io.stdout(clusterCommandHelp(kind));
    return 0;
  }
  const socket = values.socket ?? defaultSocketPath();
  const timeoutS = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw usageError(kind, new Error(`--timeout ${values.timeout}: not a positive number of seconds`));
  }
  let reply: { reason: string };
  try {
    reply = (await adminRequest(socket, 'POST', `/v1/cluster/${kind}`, {})) as { reason: string };
  } catch (e) {
    if (e instanceof WebfarmError && e.code === 'WF_ERR_ADMIN_REQUEST') {
      io.stderr(`webfarm: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (!values.json) io.stdout(`webfarm: ${kind} accepted: ${reply.reason}\n`);
  let doc = (await adminRequest(socket, 'GET', '/v1/cluster')) as ClusterDoc;
  if (values.wait) {
    const deadline = Date.now() + timeoutS * 1000;
    while (!settled(kind, doc)) {
      if (Date.now() > deadline) {
        io.stderr(`webfarm: ${kind}: groups not settled after ${timeoutS} s: ${describeGroups(doc)}\n`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
      doc = (await adminRequest(socket, 'GET', '/v1/cluster')) as ClusterDoc;
    }
  }
  io.stdout(values.json ? `${JSON.stringify(doc, null, 2)}\n` : `webfarm: ${describeGroups(doc)}\n`);
  return 0;
}

/** standby: nothing held or moving here; takeover: every group held here, nothing moving. */
export function settled(kind: ClusterCommandKind, doc: ClusterDoc): boolean {
  const idle = doc.groups.every((g) => g.op === null);
  const mine = doc.groups.filter((g) => g.owner === doc.node).length;
  return idle && (kind === 'standby' ? mine === 0 : mine === doc.groups.length);
}

export function describeGroups(doc: ClusterDoc): string {
  if (doc.groups.length === 0) return 'no resource groups';
  return doc.groups
    .map((g) => `${g.key} held by ${g.owner ?? 'nobody'}${g.op ? ` (${g.op} under way)` : ''}`)
    .join(', ');
}

function parseCli(kind: ClusterCommandKind, args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        wait: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        socket: { type: 'string', short: 's' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw usageError(kind, e);
  }
}
