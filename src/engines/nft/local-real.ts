import { isIP } from 'node:net';
import { normalizeAddress } from '../../model/endpoint.ts';

/**
 * Local real servers (docs/nft-engine.md "Local real servers"): a real server whose address is the
 * director's own is served as IPVS's LOCALNODE (ip_vs_xmit.c local delivery), whatever its `forward` says.
 * Pure helpers; which non-loopback addresses are local comes from NetFacts.localAddresses.
 */

/** 127.0.0.0/8 or ::1: local on every host, without asking the kernel. */
export function isLoopback(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  return isIP(address) === 6 && normalizeAddress(address) === '::1';
}

/** Whether `address` is the director's: loopback, or in `own` (canonical text, NetFacts.localAddresses). */
export function isLocalAddress(address: string, own: ReadonlySet<string>): boolean {
  return isLoopback(address) || own.has(normalizeAddress(address));
}
