import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions, PathName } from './args.ts';
import type { Started } from './exec.ts';
import type { NsExec } from './netns.ts';
import { ROOT, startHaproxy, startNodepipe, startWebfarm } from './peers.ts';
import type { Forward } from './topology.ts';

export const ENGINE_FILE = join(ROOT, 'src/engines/proxy/proxy-engine.ts');

/** A proxy process for `path` (in the director), or the reason there is none (direct, routed, nft: none). */
export type ProxyStart = { ok: true; proc: Started } | { ok: false; reason: string };

export async function startProxy(
  path: PathName,
  ns: NsExec,
  dir: string,
  opts: BenchOptions,
  forwards: readonly Forward[],
): Promise<ProxyStart> {
  try {
    switch (path) {
      case 'direct':
      case 'routed':
      case 'nft-nat':
      case 'nft-dr':
        return { ok: false, reason: 'no proxy' };
      case 'webfarm':
        if (!existsSync(ENGINE_FILE)) return { ok: false, reason: 'proxy engine not built yet' };
        return { ok: true, proc: await startWebfarm(ns, forwards) };
      case 'haproxy':
        return { ok: true, proc: await startHaproxy(ns, dir, forwards) };
      case 'nodepipe':
        return { ok: true, proc: await startNodepipe(ns, opts.nodepipeVariant, forwards) };
    }
  } catch (e) {
    return { ok: false, reason: `did not start: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Why a path cannot carry UDP (asked only for paths without a UDP target). */
export function udpUnsupported(path: PathName): string | undefined {
  if (path === 'haproxy') return 'HAProxy 2.6 has no generic UDP proxying';
  if (path === 'nodepipe') return 'TCP only';
  return 'no UDP target';
}
