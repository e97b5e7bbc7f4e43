import { isIPv4 } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';

/**
 * IPv4 facts about network devices, from `os.networkInterfaces()`-shaped data (injected, so pure).
 * The broadcast address is derived from address and prefix (what `ip addr add … brd +` would set): an
 * interface added without `brd` reports none, and heartbeat's bcast then sends to 0.0.0.0 and is never
 * heard (reference/heartbeat-3.0.6-notes.md, gotcha); we never read it from the interface.
 */

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface Ipv4OnDevice {
  readonly address: string;
  readonly prefix: number;
}

export type DeviceLookup =
  | { readonly ok: true; readonly value: Ipv4OnDevice }
  | { readonly ok: false; readonly message: string };

/** The first IPv4 address on `device`, or why there is none. */
export function deviceIpv4(device: string, interfaces: Interfaces): DeviceLookup {
  const infos = interfaces[device];
  if (infos === undefined) {
    const known = Object.keys(interfaces).sort().join(', ');
    return { ok: false, message: `network device "${device}" does not exist (have: ${known || 'none'})` };
  }
  const v4 = infos.find((i) => i.family === 'IPv4');
  if (v4 === undefined) return { ok: false, message: `network device "${device}" has no IPv4 address` };
  const prefix = v4.cidr === null ? 32 : Number(v4.cidr.split('/')[1]);
  return { ok: true, value: { address: v4.address, prefix } };
}

/** The subnet's highest address; undefined for /31 and /32, which have no broadcast address. */
export function broadcastOf(address: string, prefix: number): string | undefined {
  if (!isIPv4(address) || !Number.isInteger(prefix) || prefix < 0 || prefix > 30) return undefined;
  const host = prefix === 0 ? 0xffffffff : (1 << (32 - prefix)) - 1;
  return fromInt((toInt(address) | host) >>> 0);
}

/** Every IPv4 address configured on this host. */
export function localIpv4Addresses(interfaces: Interfaces): Set<string> {
  const out = new Set<string>();
  for (const infos of Object.values(interfaces)) {
    for (const i of infos ?? []) if (i.family === 'IPv4') out.add(i.address);
  }
  return out;
}

function toInt(a: string): number {
  return a.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
}
