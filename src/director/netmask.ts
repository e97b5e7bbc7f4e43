import { isIP } from 'node:net';

/**
 * Persistence netmask (ipvsadm -M). IPv4 takes a dotted mask (255.255.255.0) or a prefix length;
 * IPv6 takes a prefix length (ipvsadm's 128 default). Pure helpers.
 */
export type ParsedMask = { ok: true; prefix: number } | { ok: false; error: string };

export function parseNetmask(text: string, family: 4 | 6): ParsedMask {
  if (/^\d+$/.test(text)) {
    const prefix = Number(text);
    const max = family === 4 ? 32 : 128;
    if (prefix > max) return { ok: false, error: `prefix /${prefix} is longer than ${max}` };
    return { ok: true, prefix };
  }
  if (family === 6 || isIP(text) !== 4) return { ok: false, error: `"${text}" is not a netmask` };
  const bits = ipv4ToInt(text);
  const prefix = Math.clz32(~bits >>> 0);
  if (ipv4ToInt(prefixToDotted(prefix)) !== bits) return { ok: false, error: `"${text}" is not contiguous` };
  return { ok: true, prefix };
}

export function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function prefixToDotted(prefix: number): string {
  return intToIpv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

/** The client's network under `prefix` bits, as canonical text. */
export function maskAddress(address: string, prefix: number): string {
  if (isIP(address) === 4) {
    const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return intToIpv4((ipv4ToInt(address) & m) >>> 0);
  }
  if (prefix >= 128) return address;
  const words = expandIpv6(address);
  const out = words.map((w, i) => {
    const keep = Math.max(0, Math.min(16, prefix - i * 16));
    return keep === 0 ? 0 : w & ((0xffff << (16 - keep)) & 0xffff);
  });
  return out.map((w) => w.toString(16)).join(':');
}

function expandIpv6(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((x) => Number.parseInt(x, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  return [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}
