import { isIP } from 'node:net';
import { ipv4ToInt, prefixToDotted } from '../../director/netmask.ts';
import type { ForwardMethod } from '../../director/real-server.ts';
import type { PortNames } from './address.ts';

/** Printing helpers with C printf semantics (`%-Ns` pads on the right, `%Nllu` on the left, never cut). */
export const left = (s: string | number, width: number): string => String(s).padEnd(width);
export const right = (s: string | number, width: number): string => String(s).padStart(width);

/**
 * ipvsadm's print_largenum: 9 columns. Without --exact, values of 100 million and more are divided and
 * suffixed: K (÷1e3) below 1e9, M (÷1e6) below 1e11, G (÷1e9) below 1e14, else T (÷1e12).
 * With --exact the full number, in at least 9 columns and always after one space.
 */
export function largeNum(n: number, exact: boolean): string {
  const v = Math.max(0, Math.floor(n));
  if (exact) {
    const text = String(v);
    return right(text, text.length <= 8 ? 9 : text.length + 1);
  }
  if (v < 1e8) return right(v, 9);
  if (v < 1e9) return `${right(Math.floor(v / 1e3), 8)}K`;
  if (v < 1e11) return `${right(Math.floor(v / 1e6), 8)}M`;
  if (v < 1e14) return `${right(Math.floor(v / 1e9), 8)}G`;
  return `${right(Math.floor(v / 1e12), 8)}T`;
}

/**
 * ipvsadm's addrport_to_anyname: `ADDRESS:PORT`, IPv6 in brackets. Without -n the port is named from
 * /etc/services when it has a name; host names are never looked up (ipvsadm prints the address when
 * reverse DNS has no answer, which is what webfarm always prints: it sends no DNS queries).
 */
export function addrPort(
  address: string,
  port: number,
  protocol: 'tcp' | 'udp',
  numeric: boolean,
  names: PortNames,
): string {
  const host = isIP(address) === 6 ? `[${address}]` : address;
  const p = numeric ? undefined : names.name(port, protocol);
  return `${host}:${p ?? port}`;
}

/** ipvsadm's Forward column. */
export function forwardName(f: ForwardMethod): string {
  return { masq: 'Masq', route: 'Route', tunnel: 'Tunnel', local: 'Local' }[f];
}

/** ipvsadm -S's method switch (Local is saved as -g, as ipvsadm does). */
export function forwardSwitch(f: ForwardMethod): string {
  return { masq: '-m', route: '-g', tunnel: '-i', local: '-g' }[f];
}

/** The persistence mask as ipvsadm prints it: dotted for IPv4 (when not /32), a prefix for IPv6 (not /128). */
export function maskText(address: string, prefix: number): string | undefined {
  if (isIP(address) === 6) return prefix === 128 ? undefined : String(prefix);
  return prefix === 32 ? undefined : prefixToDotted(prefix);
}

/** Numeric order of addresses: IPv4 before IPv6 (AF_INET < AF_INET6), then by value. */
export function compareAddress(a: string, b: string): number {
  const ka = addressWords(a);
  const kb = addressWords(b);
  if (ka.length !== kb.length) return ka.length - kb.length;
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] as number) - (kb[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function addressWords(address: string): number[] {
  if (isIP(address) === 4) return [ipv4ToInt(address)];
  const [head = '', tail] = address.split('::');
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((x) => Number.parseInt(x, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  return [...h, ...new Array<number>(Math.max(0, 8 - h.length - t.length)).fill(0), ...t];
}
