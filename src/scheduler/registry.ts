import { WebfarmError } from '../model/errors.ts';
import { dh } from './dh.ts';
import { fo } from './fo.ts';
import { lblc } from './lblc.ts';
import { lblcr } from './lblcr.ts';
import { lc } from './lc.ts';
import { mh } from './mh.ts';
import { nq } from './nq.ts';
import { ovf } from './ovf.ts';
import { rr } from './rr.ts';
import {
  SCHEDULER_NAMES,
  type Scheduler,
  type SchedulerFactory,
  type SchedulerFlag,
  type SchedulerName,
  type SchedulerOptions,
} from './scheduler.ts';
import { sed } from './sed.ts';
import { sh } from './sh.ts';
import { wlc } from './wlc.ts';
import { wrr } from './wrr.ts';

/** Every scheduler, by the name operators type after `-s`. One line per algorithm. */
const FACTORIES: ReadonlyMap<string, SchedulerFactory> = new Map<string, SchedulerFactory>(
  [rr, wrr, lc, wlc, sed, nq, lblc, lblcr, dh, sh, mh, fo, ovf].map((f) => [f.name, f]),
);

export function isSchedulerName(name: string): name is SchedulerName {
  return (SCHEDULER_NAMES as readonly string[]).includes(name) && FACTORIES.has(name);
}

export function schedulerFactory(name: string): SchedulerFactory {
  const f = FACTORIES.get(name);
  if (!f) {
    throw new WebfarmError(
      'WF_ERR_SCHEDULER_UNKNOWN',
      `unknown scheduler "${name}" (known: ${[...FACTORIES.keys()].join(', ')})`,
    );
  }
  return f;
}

export function allSchedulers(): readonly SchedulerFactory[] {
  return [...FACTORIES.values()];
}

/** Validate flags against the scheduler and build it. Throws WF_ERR_SCHEDULER_* on bad input. */
export function createScheduler(
  name: string,
  flags: readonly SchedulerFlag[] = [],
  extra: Omit<SchedulerOptions, 'flags'> = {},
): Scheduler {
  const f = schedulerFactory(name);
  for (const flag of flags) {
    if (!f.flags.includes(flag)) {
      throw new WebfarmError('WF_ERR_SCHEDULER_FLAG', `scheduler ${name} does not accept flag "${flag}"`);
    }
  }
  return f.create({ ...extra, flags: new Set(flags) });
}
