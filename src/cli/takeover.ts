import { clusterCommand, clusterCommandHelp } from './cluster-command.ts';
import type { CliIo } from './io.ts';

/** `webfarm takeover` (hb_takeover): take every resource group. */
export const TAKEOVER_HELP = clusterCommandHelp('takeover');

export function takeoverCommand(args: string[], io: CliIo): Promise<number> {
  return clusterCommand('takeover', args, io);
}
