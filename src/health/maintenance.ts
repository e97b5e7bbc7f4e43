import { readdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { normalizeAddress } from '../model/endpoint.ts';

/**
 * ldirectord maintenancedir: a file in the directory named after a real server forces it down. Names
 * accepted: `ip:port`, `ip`, `[v6]:port`, `[v6]` and `v6` (IPv6 in any spelling; compared canonically).
 * Host names are not resolved (webfarm configs hold addresses only). Pure.
 */
export function inMaintenance(names: ReadonlySet<string>, address: string, port: number): boolean {
  for (const n of names) {
    const parsed = parseName(n);
    if (parsed && parsed.address === address && (parsed.port === undefined || parsed.port === port))
      return true;
  }
  return false;
}

function parseName(name: string): { address: string; port: number | undefined } | undefined {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(name);
  if (bracket) return canonical(bracket[1] ?? '', bracket[2]);
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(name);
  if (v4) return canonical(v4[1] ?? '', v4[2]);
  return canonical(name, undefined);
}

function canonical(
  address: string,
  port: string | undefined,
): { address: string; port: number | undefined } | undefined {
  if (isIP(address) === 0) return undefined;
  return { address: normalizeAddress(address), port: port === undefined ? undefined : Number(port) };
}

/** The file names in `dir`; a missing or unreadable directory is empty (reported through `onError`). */
export async function readMaintenanceDir(dir: string, onError: (e: Error) => void): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return new Set(entries.filter((e) => !e.isDirectory()).map((e) => e.name));
  } catch (e) {
    onError(e as Error);
    return new Set();
  }
}
