import { isIP } from 'node:net';

/** An IP address and port. IPv6 addresses are written in brackets when a port follows: [2001:db8::1]:80. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** "192.0.2.1:80" or "[2001:db8::1]:80" → Endpoint; port 0..65535. No name resolution. */
export function parseEndpoint(text: string): ParseResult<Endpoint> {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not ADDRESS:PORT` };
  const address = m[1] as string;
  const port = Number(m[2]);
  if (isIP(address) === 0) return { ok: false, error: `"${address}" is not an IP address` };
  if (port > 65535) return { ok: false, error: `port ${port} is out of range 0..65535` };
  return { ok: true, value: { address: normalizeAddress(address), port } };
}

/** Canonical text of an address: IPv6 lower-case and compressed through URL parsing, IPv4 as given. */
export function normalizeAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

export function formatEndpoint(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

export function addressFamily(address: string): 4 | 6 {
  return isIP(address) === 6 ? 6 : 4;
}
