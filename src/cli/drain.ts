import { parseArgs } from 'node:util';
import { adminRequest } from '../admin/client.ts';
import type { DrainView } from '../admin/drain/drain-manager.ts';
import { subscribeEvents } from '../admin/event-client.ts';
import type { AdminEvent } from '../admin/events/admin-event.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import { WebfarmError } from '../model/errors.ts';
import type { CliIo } from './io.ts';
import { realPath, resolveService } from './real-target.ts';
import { usageError } from './usage.ts';

export const DRAIN_HELP = `Usage: webfarm drain SERVICE REAL [--timeout DURATION] [--remove] [--wait] [--json] [-s SOCKET]

Drain a real server: weight 0 for the scheduler (no new connections; persistence templates may still
route to it), then wait until its connections reach 0 or the timeout, then remove it if --remove.
  SERVICE             tcp:ADDR:PORT, udp:ADDR:PORT, ADDR:PORT (TCP) or the service's name
  REAL                ADDR:PORT ([v6]:PORT)
  --timeout DURATION  give up waiting after this long (30s, 5m; default: no limit)
  --remove            remove the server from the service when drained (or timed out)
  --wait              stay until the drain ends, printing progress; exit 0 drained, 1 timed out/cancelled
  --json              print the drain state as JSON
  -s, --socket PATH   admin socket (default: ${defaultSocketPath()})
`;

export async function drainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCli(args);
  if (values.help) {
    io.stdout(DRAIN_HELP);
    return 0;
  }
  if (positionals.length !== 2) throw usageError('drain', new Error('expected SERVICE and REAL'));
  const socket = values.socket ?? defaultSocketPath();
  const sid = await resolveService(socket, positionals[0] as string);
  const rid = positionals[1] as string;
  const body = {
    ...(values.timeout === undefined ? {} : { timeout: values.timeout }),
    ...(values.remove ? { remove: true } : {}),
  };
  const subject = `${sid}/${rid}`;
  let end: AdminEvent | undefined;
  let wake: () => void = () => {};
  const sub = values.wait
    ? await subscribeEvents(
        socket,
        `?subject=${encodeURIComponent(subject)}&type=drain-progress,drain-finished,drain-cancelled`,
        (e) => {
          // A subject prefix also matches longer ids (10.0.0.1:80 vs 10.0.0.1:8080): compare exactly.
          if (e.subject !== subject) return;
          if (e.type === 'drain-progress' && !values.json && e.data.remainingConns !== 0)
            io.stdout(`webfarm: ${rid}: ${String(e.data.remainingConns)} connection(s) left\n`);
          if (e.type === 'drain-finished' || e.type === 'drain-cancelled') {
            end = e;
            wake();
          }
        },
        () => wake(),
      )
    : undefined;
  try {
    const reply = (await adminRequest(socket, 'POST', `${realPath(sid, rid)}/drain`, body)) as {
      drain: DrainView;
    };
    let view = reply.drain;
    if (values.wait && view.state === 'draining') {
      if (!end) await new Promise<void>((resolve) => (wake = resolve));
      if (!end) throw new WebfarmError('WF_ERR_ADMIN_REQUEST', 'the director closed the event stream');
      view = (end as AdminEvent).data as unknown as DrainView;
    }
    io.stdout(values.json ? `${JSON.stringify(view, null, 2)}\n` : describe(view));
    if (!values.wait) return 0;
    return view.state === 'drained' ? 0 : 1;
  } finally {
    sub?.close();
  }
}

function describe(v: DrainView): string {
  const conns = `${v.remainingConns} connection(s)`;
  const then = v.remove ? (v.removed ? '; removed' : '; will be removed') : '';
  const limit = v.timeoutMs === null ? '' : `, timeout ${v.timeoutMs / 1000}s`;
  switch (v.state) {
    case 'draining':
      return `webfarm: draining ${v.real} in ${v.service} (${conns} left${limit})${then}\n`;
    case 'drained':
      return `webfarm: ${v.real} in ${v.service} drained${then}\n`;
    case 'timed-out':
      return `webfarm: ${v.real} in ${v.service} timed out with ${conns} left${then}\n`;
    default:
      return `webfarm: drain of ${v.real} in ${v.service} cancelled (${v.reason ?? 'unknown'})\n`;
  }
}

function parseCli(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        timeout: { type: 'string' },
        remove: { type: 'boolean' },
        wait: { type: 'boolean' },
        json: { type: 'boolean' },
        socket: { type: 'string', short: 's' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw usageError('drain', e);
  }
}
