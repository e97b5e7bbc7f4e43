import type { LabFarm } from './lab-farm.ts';
import type { Fault } from './scenario-schema.ts';

/**
 * Apply one timeline fault to a running farm (scenario-schema.ts `fault`). `target` is the fault's host
 * with `active`/`last` already resolved. Returns the reload exit codes for reload steps.
 */
export async function applyFault(
  farm: LabFarm,
  f: Fault,
  target: string | undefined,
  startupMs: number,
): Promise<{ reloadCodes?: number[] }> {
  const host = () => {
    if (target === undefined) throw new Error('the fault has no host');
    return target;
  };
  switch (f.do) {
    case 'signal':
      await farm.signalDirector(host(), f.signal);
      return {};
    case 'start':
      await farm.startDirector(host(), startupMs);
      return {};
    case 'link':
      await farm.link(host(), f.dev, f.up);
      return {};
    case 'loss':
      await farm.loss(host(), f.percent, f.port);
      return {};
    case 'serial':
      farm.serial(f.up);
      return {};
    case 'web':
      await farm.web.set(host(), f.state, f.delay);
      return {};
    case 'reals':
      for (const r of farm.reals) await farm.web.set(r, f.up ? 'start' : 'kill', 0);
      return {};
    case 'reload':
      return { reloadCodes: await farm.reload(host(), f.bad, f.count) };
    case 'wait':
      return {};
  }
}

/** The host a step acts on: `active` = the single owner before it, `last` = the previous step's target. */
export function resolveTarget(
  name: string | undefined,
  before: readonly string[],
  last: string | undefined,
): { target?: string; error?: string } {
  if (name === undefined) return {};
  if (name === 'active') {
    if (before.length !== 1)
      return { error: `no single active director (owners: ${before.join('+') || 'none'})` };
    return { target: before[0] as string };
  }
  if (name === 'last') return last === undefined ? { error: 'no previous target' } : { target: last };
  return { target: name };
}
