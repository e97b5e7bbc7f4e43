import { parseArgs } from 'node:util';
import { spawnExec } from '../engines/nft/exec-runner.ts';
import { type RealServerChange, realServerDown, realServerUp } from '../engines/nft/realserver-setup.ts';
import type { CliIo } from './io.ts';
import { usageError } from './usage.ts';

export const REALSERVER_HELP = `Usage: webfarm realserver up|down --vip ADDR [--vip ADDR...] [--json]

Prepare this machine as a direct-routing (-g) real server: "up" puts each VIP on lo as /32 (/128) and sets
net.ipv4.conf.all.arp_ignore=1, arp_announce=2 so only the director answers ARP for it; "down" removes the
VIPs and, when none is left, resets both to 0. Idempotent. Needs root (CAP_NET_ADMIN).
  --vip ADDR   a virtual address (repeat, or comma-separated)
  --json       print what changed as JSON
`;

export async function realserverCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCli(args);
  if (values.help) {
    io.stdout(REALSERVER_HELP);
    return 0;
  }
  const [action, ...extra] = positionals;
  if ((action !== 'up' && action !== 'down') || extra.length > 0) {
    throw usageError('realserver', new Error('expected "up" or "down"'));
  }
  const vips = (values.vip ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const change =
    action === 'up' ? await realServerUp(spawnExec, vips) : await realServerDown(spawnExec, vips);
  io.stdout(values.json ? `${JSON.stringify(change)}\n` : describe(action, change));
  return 0;
}

function describe(action: 'up' | 'down', c: RealServerChange): string {
  const addrs = action === 'up' ? c.added : c.removed;
  const done = action === 'up' ? 'added' : 'removed';
  const what =
    addrs.length > 0
      ? `${done} ${addrs.join(', ')} on lo`
      : `nothing to do on lo (already ${action === 'up' ? 'there' : 'gone'})`;
  const arp = {
    set: 'arp_ignore=1 arp_announce=2',
    reset: 'arp_ignore=0 arp_announce=0',
    unchanged: 'ARP settings kept (other VIPs remain)',
  }[c.arp];
  return `realserver ${action}: ${what}; ${arp}\n`;
}

function parseCli(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        vip: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw usageError('realserver', e);
  }
}
