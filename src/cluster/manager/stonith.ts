import { isValidNodeName } from './node-name.ts';
import { describeResult, type ProcessRunner, succeeded } from '../resources/process-runner.ts';
import { type ActionResult, failed, OK } from '../resources/resource.ts';

/**
 * STONITH ("shoot the other node in the head", seed-system.md §2.11): an optional external command run as
 * `CMD… reset NODE` (argv, never a shell) before we take over from a dead peer. Exit 0 means the node was
 * reset; anything else (or a timeout) is a failure the manager retries every `stonithRetryMs`.
 */
export interface StonithDevice {
  reset(node: string): Promise<ActionResult>;
}

export const DEFAULT_STONITH_TIMEOUT_MS = 30_000;

export function commandStonith(
  command: readonly string[],
  runner: ProcessRunner,
  timeoutMs = DEFAULT_STONITH_TIMEOUT_MS,
): StonithDevice {
  if (command.length === 0) throw new Error('stonith command is empty');
  return {
    async reset(node) {
      if (!isValidNodeName(node)) return failed(`refusing to reset ${JSON.stringify(node)}: not a node name`);
      const r = await runner.run([...command, 'reset', node], { timeoutMs });
      return succeeded(r) ? OK : failed(describeResult(r));
    },
  };
}
