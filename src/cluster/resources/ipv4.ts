import { isIPv4 } from 'node:net';

/** IPv4 arithmetic for the IPaddr resource: dotted quads as unsigned 32-bit numbers. */
export function ipv4ToNumber(a: string): number | undefined {
  if (!isIPv4(a)) return undefined;
  return a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Whether `address` lies in `network`/`prefix` (prefix 0..32). */
export function inSubnet(address: string, network: string, prefix: number): boolean {
  const a = ipv4ToNumber(address);
  const n = ipv4ToNumber(network);
  if (a === undefined || n === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    return false;
  if (prefix === 0) return true;
  const size = 2 ** (32 - prefix);
  return Math.floor(a / size) === Math.floor(n / size);
}

/**
 * A network device name the kernel would accept and `ip` cannot mistake for an option: 1..15 characters
 * (IFNAMSIZ − 1), letters, digits, `_ . -`, not starting with `-` or `.`. Stricter than the kernel's
 * dev_valid_name (which allows any byte but `/`, `:` and whitespace) on purpose: a name from a config file
 * lands in an argv.
 */
export function isValidDeviceName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/.test(name);
}
