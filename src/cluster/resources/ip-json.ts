import { inSubnet } from './ipv4.ts';

/**
 * Pure readers of `ip -j` output (iproute2 JSON) for the IPaddr resource. Unknown or malformed entries are
 * skipped, never thrown on: the caller decides what "not found" means.
 */

/** One IPv4 address on a device, from `ip -j -4 addr show`. */
export interface DeviceAddress {
  readonly device: string;
  readonly address: string;
  readonly prefix: number;
}

/** Where a floating address goes: the device and the prefix of the subnet that contains it. */
export interface Placement {
  readonly device: string;
  readonly prefix: number;
}

function parseArray(json: string): unknown[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

/** Every IPv4 address in `ip -j addr show` output. */
export function parseAddresses(json: string): DeviceAddress[] {
  const out: DeviceAddress[] = [];
  for (const link of parseArray(json)) {
    const l = record(link);
    if (typeof l.ifname !== 'string' || !Array.isArray(l.addr_info)) continue;
    for (const info of l.addr_info) {
      const a = record(info);
      if (a.family !== 'inet' || typeof a.local !== 'string' || typeof a.prefixlen !== 'number') continue;
      out.push({ device: l.ifname, address: a.local, prefix: a.prefixlen });
    }
  }
  return out;
}

/** The entry carrying `address` (on `device`, when given), if any. */
export function findAddress(
  addresses: readonly DeviceAddress[],
  address: string,
  device?: string,
): DeviceAddress | undefined {
  return addresses.find((a) => a.address === address && (device === undefined || a.device === device));
}

/**
 * heartbeat's findif (seed-system.md §2.7): the interface whose connected subnet contains `address`, and
 * that subnet's prefix, from `ip -j -4 route show` output. Longest prefix wins; the default route and
 * gateway routes never match (a floating address belongs on a segment we are directly attached to);
 * `device`, when given, restricts the search to that device.
 */
export function findPlacement(routesJson: string, address: string, device?: string): Placement | undefined {
  let best: Placement | undefined;
  for (const route of parseArray(routesJson)) {
    const r = record(route);
    if (typeof r.dst !== 'string' || typeof r.dev !== 'string' || r.gateway !== undefined) continue;
    if (device !== undefined && r.dev !== device) continue;
    const [network, bits] = r.dst.split('/');
    const prefix = bits === undefined ? 32 : Number(bits);
    if (network === undefined || prefix === 32 || !inSubnet(address, network, prefix)) continue;
    if (best === undefined || prefix > best.prefix) best = { device: r.dev, prefix };
  }
  return best;
}
