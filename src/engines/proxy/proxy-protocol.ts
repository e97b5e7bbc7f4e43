import { isIP } from 'node:net';
import { normalizeAddress } from '../../model/endpoint.ts';

/**
 * PROXY protocol headers (HAProxy doc/proxy-protocol.txt), sent by the proxy engine to a real server
 * before any client byte so the server learns the client's address. Pure: text in, bytes out.
 *
 * Source = the client (its address and port); destination = the local address and port the client
 * connected to. Both ends must be of one family: when one is IPv4 and the other IPv6, the IPv4 one is
 * written as an IPv4-mapped IPv6 address; when both are IPv4-mapped IPv6 (dual-stack sockets), both are
 * written as IPv4.
 */
export interface ProxiedConnection {
  readonly protocol: 'tcp' | 'udp';
  readonly sourceAddress: string;
  readonly sourcePort: number;
  readonly destAddress: string;
  readonly destPort: number;
}

export type ProxyVersion = 'v1' | 'v2';

/** §2.2: the 12-byte signature that opens every v2 header. */
export const PROXY_V2_SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);

export function proxyHeader(version: ProxyVersion, c: ProxiedConnection): Buffer {
  return version === 'v1' ? proxyHeaderV1(c) : proxyHeaderV2(c);
}

/**
 * §2.1 version 1: "PROXY TCP4 src dst sport dport\r\n" (TCP6 for IPv6). Version 1 knows only TCP, so a
 * UDP flow is announced as "PROXY UNKNOWN\r\n" (receivers then use the real connection's addresses).
 */
export function proxyHeaderV1(c: ProxiedConnection): Buffer {
  if (c.protocol !== 'tcp') return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
  const [src, dst, family] = alignFamilies(c.sourceAddress, c.destAddress);
  const text = (a: string) => (family === 4 ? a : normalizeAddress(a));
  const line = `PROXY TCP${family} ${text(src)} ${text(dst)} ${c.sourcePort} ${c.destPort}\r\n`;
  return Buffer.from(line, 'latin1');
}

/**
 * §2.2 version 2: signature, ver/cmd 0x21 (version 2, PROXY), family/protocol (0x11 TCP4, 0x12 UDP4,
 * 0x21 TCP6, 0x22 UDP6), address length (12 or 36, big-endian), then source address, destination
 * address, source port, destination port, all in network byte order. No TLVs.
 */
export function proxyHeaderV2(c: ProxiedConnection): Buffer {
  const [src, dst, family] = alignFamilies(c.sourceAddress, c.destAddress);
  const addrLen = family === 4 ? 4 : 16;
  const len = 2 * addrLen + 4;
  const out = Buffer.alloc(16 + len);
  PROXY_V2_SIGNATURE.copy(out, 0);
  out[12] = 0x21;
  out[13] = (family === 4 ? 0x10 : 0x20) | (c.protocol === 'tcp' ? 0x01 : 0x02);
  out.writeUInt16BE(len, 14);
  const bytes = family === 4 ? ipv4Bytes : ipv6Bytes;
  bytes(src).copy(out, 16);
  bytes(dst).copy(out, 16 + addrLen);
  out.writeUInt16BE(c.sourcePort, 16 + 2 * addrLen);
  out.writeUInt16BE(c.destPort, 18 + 2 * addrLen);
  return out;
}

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Bring both addresses into one family (see the module comment). */
export function alignFamilies(src: string, dst: string): [string, string, 4 | 6] {
  const s = unmap(src);
  const d = unmap(dst);
  const sv4 = isIP(s) === 4;
  const dv4 = isIP(d) === 4;
  if (sv4 && dv4) return [s, d, 4];
  return [sv4 ? `::ffff:${s}` : src, dv4 ? `::ffff:${d}` : dst, 6];
}

/** "::ffff:192.0.2.1" → "192.0.2.1"; anything else unchanged. */
export function unmap(address: string): string {
  const m = MAPPED.exec(address);
  return m ? (m[1] as string) : address;
}

export function ipv4Bytes(address: string): Buffer {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new TypeError(`not an IPv4 address: ${address}`);
  }
  return Buffer.from(parts);
}

/** 16 bytes of an IPv6 address in any text form ("::", embedded IPv4 tail, zone id ignored). */
export function ipv6Bytes(address: string): Buffer {
  const text = address.split('%')[0] as string;
  if (isIP(text) !== 6) throw new TypeError(`not an IPv6 address: ${address}`);
  const halves = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').flatMap(groupWords));
  const head = groups(halves[0] as string);
  const tail = halves.length > 1 ? groups(halves[1] as string) : [];
  const words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i] as number, i * 2);
  return out;
}

function groupWords(g: string): number[] {
  if (!g.includes('.')) return [Number.parseInt(g, 16)];
  const b = ipv4Bytes(g);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
}
