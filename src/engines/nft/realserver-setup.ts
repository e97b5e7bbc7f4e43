import { isIP } from 'node:net';
import { normalizeAddress } from '../../model/endpoint.ts';
import { WebfarmError } from '../../model/errors.ts';
import type { ExecRunner } from './exec-runner.ts';

/**
 * Prepare a direct-routing real server (LVS-DR; `webfarm realserver up|down --vip`): the VIP on `lo` as a
 * host address (/32, /128) so the server accepts packets addressed to it, and ARP kept off it —
 * net.ipv4.conf.all.arp_ignore=1 (answer ARP only for addresses on the asking interface) and
 * arp_announce=2 (never use the VIP as ARP source) — so only the director answers for the VIP.
 * Idempotent both ways. `down` removes the addresses and, once no VIP is left on lo, puts both sysctls back
 * to the kernel defaults (0). Every step is an argv run through `exec` (ip, sysctl).
 */
export interface RealServerChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly arp: 'set' | 'reset' | 'unchanged';
}

const ARP = ['net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.all.arp_announce'] as const;

export async function realServerUp(exec: ExecRunner, vips: readonly string[]): Promise<RealServerChange> {
  const want = checkVips(vips);
  const have = await loAddresses(exec);
  const added: string[] = [];
  for (const v of want) {
    if (have.has(v)) continue;
    await run(exec, ['ip', 'addr', 'add', hostPrefix(v), 'dev', 'lo']);
    added.push(v);
  }
  await run(exec, ['sysctl', '-qw', `${ARP[0]}=1`, `${ARP[1]}=2`]);
  return { added, removed: [], arp: 'set' };
}

export async function realServerDown(exec: ExecRunner, vips: readonly string[]): Promise<RealServerChange> {
  const gone = checkVips(vips);
  const have = await loAddresses(exec);
  const removed: string[] = [];
  for (const v of gone) {
    if (!have.has(v)) continue;
    await run(exec, ['ip', 'addr', 'del', hostPrefix(v), 'dev', 'lo']);
    removed.push(v);
    have.delete(v);
  }
  const left = [...have].filter((a) => !isLoopback(a));
  if (left.length > 0) return { added: [], removed, arp: 'unchanged' };
  await run(exec, ['sysctl', '-qw', `${ARP[0]}=0`, `${ARP[1]}=0`]);
  return { added: [], removed, arp: 'reset' };
}

function checkVips(vips: readonly string[]): string[] {
  if (vips.length === 0) throw new WebfarmError('WF_ERR_CLI_USAGE', 'give at least one --vip ADDRESS');
  return vips.map((v) => {
    if (isIP(v) === 0) throw new WebfarmError('WF_ERR_CLI_USAGE', `"${v}" is not an IP address`);
    return normalizeAddress(v);
  });
}

function hostPrefix(v: string): string {
  return isIP(v) === 6 ? `${v}/128` : `${v}/32`;
}

function isLoopback(a: string): boolean {
  return a.startsWith('127.') || a === '::1';
}

/** Host addresses (/32, /128) on lo, canonical text. */
async function loAddresses(exec: ExecRunner): Promise<Set<string>> {
  const out = await run(exec, ['ip', '-j', 'addr', 'show', 'dev', 'lo']);
  const [lo] = JSON.parse(out || '[]') as Array<{
    addr_info?: Array<{ local?: string; prefixlen?: number }>;
  }>;
  const hosts = (lo?.addr_info ?? []).filter((a) => a.local && (a.prefixlen === 32 || a.prefixlen === 128));
  return new Set(hosts.map((a) => normalizeAddress(a.local as string)));
}

async function run(exec: ExecRunner, argv: readonly string[]): Promise<string> {
  const r = await exec.run(argv);
  if (r.code === 0) return r.stdout;
  const why = r.errno === 'ENOENT' ? `${argv[0]} is not installed` : r.stderr.trim();
  throw new WebfarmError('WF_ERR_REALSERVER_SETUP', `${argv.join(' ')}: ${why}`);
}
