import { dirname, join } from 'node:path';
import type { Director } from '../director/director.ts';
import { type FarmPlan, buildDirector } from '../director/farm-plan.ts';
import { isWebfarmError } from '../model/errors.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/log.ts';
import { readState, tableDigest } from './state-file.ts';
import { startTable } from './state-file-merge.ts';

/** The state file's name beside the admin socket when the config names none. */
export const STATE_FILE_NAME = 'state.json';

/**
 * Where the runtime state file lives: `option` (false = none) if given, else the config's
 * `admin.state_file`, else `state.json` beside the admin socket; none without an admin socket.
 */
export function resolveStateFile(
  option: string | false | undefined,
  plan: FarmPlan,
  socket: string | false,
): string | undefined {
  const chosen = option ?? plan.admin.stateFile;
  if (chosen === false) return undefined;
  if (chosen !== undefined) return chosen;
  return socket === false ? undefined : join(dirname(socket), STATE_FILE_NAME);
}

/**
 * Build the director a start begins with: the config's plan, with the state file applied by the rule of
 * state-file-merge.ts. A state file that cannot be read or describes a table the director rejects is
 * reported (WARN) and ignored: the config alone starts. One log line says where the table came from.
 */
export async function buildStartDirector(
  plan: FarmPlan,
  stateFile: string | undefined,
  clock: Clock,
  log: Logger,
): Promise<Director> {
  if (stateFile === undefined) return buildDirector(plan, clock);
  const doc = await readState(stateFile, (message) =>
    log.warn('state-file-ignored', { path: stateFile, message }),
  );
  const start = startTable(plan, tableDigest(plan), doc);
  let director: Director;
  try {
    director = buildDirector({ ...plan, ...start.table }, clock);
    for (const a of start.admin) director.editReal(a.serviceId, a.realId, { admin: a.admin });
  } catch (e) {
    if (start.source !== 'state-file' || !isWebfarmError(e)) throw e;
    log.warn('state-file-ignored', { path: stateFile, message: e.message });
    return buildDirector(plan, clock);
  }
  if (start.stale) {
    log.warn('state-file-stale', {
      path: stateFile,
      message: 'the config changed since the state file was written: the config wins, admin states kept',
    });
  }
  if (doc)
    log.info('state-file-loaded', { path: stateFile, source: start.source, admin: start.admin.length });
  return director;
}
