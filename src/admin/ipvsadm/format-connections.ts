import type { ConnectionEntry } from '../../director/connections-snapshot.ts';
import type { PortNames } from './address.ts';
import { addrPort, left } from './format-text.ts';

/**
 * `ipvsadm -L -c`: ipvsadm's list_conn/print_conn layout over the director's connection table.
 * Expiry is mm:ss of whole seconds left (minutes grow past two digits, as %02d does).
 * With --persistent-conn the header gains the "pe name" and "pe_data" columns; webfarm has no
 * persistence engines, so rows never carry them (as ipvsadm prints rows without a pe).
 */
export function formatConnections(
  entries: readonly ConnectionEntry[],
  opts: { numeric: boolean; persistentConn: boolean },
  names: PortNames,
): string {
  let out = 'IPVS connection entries\n';
  out += opts.persistentConn
    ? `pro expire ${left('state', 11)} ${left('source', 18)} ${left('virtual', 18)} ${left('destination', 18)} ${left('pe name', 16)} pe_data\n`
    : `pro expire ${left('state', 11)} ${left('source', 18)} ${left('virtual', 18)} destination\n`;
  for (const e of entries) {
    const name = (ep: { address: string; port: number }) =>
      addrPort(ep.address, ep.port, e.protocol, opts.numeric, names);
    out += `${left(e.protocol.toUpperCase(), 3)} ${left(expire(e.expiresInMs), 6)} ${left(e.state, 11)} ${left(name(e.client), 18)} ${left(name(e.virtual), 18)} ${name(e.real)}\n`;
  }
  return out;
}

function expire(ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}
