import { clusterCommand, clusterCommandHelp } from './cluster-command.ts';
import type { CliIo } from './io.ts';

/** `webfarm standby` (hb_standby): give every resource group to the peer. */
export const STANDBY_HELP = clusterCommandHelp('standby');

export function standbyCommand(args: string[], io: CliIo): Promise<number> {
  return clusterCommand('standby', args, io);
}
