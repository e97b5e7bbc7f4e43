import { isIP } from 'node:net';
import { normalizeAddress } from '../../model/endpoint.ts';

/** Port names (getservbyname/getservbyport over /etc/services). Injected so parsing and formatting stay pure. */
export interface PortNames {
  port(name: string, protocol: 'tcp' | 'udp'): number | undefined;
  name(port: number, protocol: 'tcp' | 'udp'): string | undefined;
}

export const NO_PORT_NAMES: PortNames = { port: () => undefined, name: () => undefined };

export interface ParsedAddress {
  readonly address: string;
  readonly family: 4 | 6;
  /** undefined when no `:port` was written. */
  readonly port: number | undefined;
}

/**
 * ipvsadm's parse_service: `IPv4[:port]`, `[IPv6]:port` or a bare IPv6 address; the port as a number
 * 0..65535 or a service name. A word of digits alone is not an address. Host names are not resolved
 * (webfarm never sends DNS queries from the CLI): write addresses.
 */
export function parseAddressPort(
  text: string,
  protocol: 'tcp' | 'udp',
  names: PortNames,
): ParsedAddress | undefined {
  if (/^\d*$/.test(text)) return undefined;
  let host = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const m = /^\[([^\]]*)\]:(.*)$/.exec(text);
    if (!m) return undefined;
    host = m[1] as string;
    portText = m[2] as string;
    if (isIP(host) !== 6) return undefined;
  } else if (isIP(text) !== 6) {
    const colon = text.lastIndexOf(':');
    if (colon !== -1) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
    if (isIP(host) !== 4) return undefined;
  }
  const family = isIP(host) === 6 ? 6 : 4;
  if (portText === undefined) return { address: normalizeAddress(host), family, port: undefined };
  const port = toNumber(portText, 0, 65535) ?? names.port(portText, protocol);
  if (port === undefined) return undefined;
  return { address: normalizeAddress(host), family, port };
}

/** ipvsadm's string_to_number: a whole decimal number within [min, max], else undefined. */
export function toNumber(text: string, min: number, max: number): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}
