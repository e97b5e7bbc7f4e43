import { describeResult, type ProcessRunner, type ProcessResult, succeeded } from './process-runner.ts';
import { type ActionResult, failed, OK, type Resource, type ResourceStatus } from './resource.ts';

/**
 * An external script called as `SCRIPT [ARGS…] start|stop|status` (heartbeat's resource.d scripts and
 * init scripts, seed-system.md §2.7; haresources `name::a::b` passes args `a b`).
 *
 * start/stop ask `status` first and do nothing when it is already so (the idempotence every resource
 * promises, whatever the script does); otherwise they succeed on exit 0. Heartbeat only logged a non-zero
 * exit; we report it so a group can roll back a half-started start.
 *
 * status, in order (heartbeat's ResourceManager looks for `running`/`Running`/`OK` in the output; LSB
 * scripts print "… is not running" and exit 3, which that substring test would misread):
 *   1. the output says `not running` or `stopped` (any case) → stopped;
 *   2. the output contains `running`, `Running` or `OK` → running;
 *   3. otherwise exit 0 → running (LSB), anything else → stopped.
 */
export interface LsbScriptSpec {
  /** Absolute path of the script (heartbeat looks in /etc/ha.d/resource.d then /etc/init.d). */
  readonly path: string;
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}

export function lsbStatus(r: ProcessResult): ResourceStatus {
  const out = `${r.stdout}\n${r.stderr}`;
  if (/not running|stopped/i.test(out)) return 'stopped';
  if (/running|Running|OK/.test(out)) return 'running';
  return succeeded(r) ? 'running' : 'stopped';
}

export class LsbScriptResource implements Resource {
  readonly name: string;
  readonly #spec: LsbScriptSpec;
  readonly #runner: ProcessRunner;

  constructor(spec: LsbScriptSpec, runner: ProcessRunner) {
    this.#spec = spec;
    this.#runner = runner;
    this.name = [spec.path, ...(spec.args ?? [])].join('::');
  }

  async status(): Promise<ResourceStatus> {
    return lsbStatus(await this.#run('status'));
  }

  start(): Promise<ActionResult> {
    return this.#act('start');
  }

  stop(): Promise<ActionResult> {
    return this.#act('stop');
  }

  async #act(verb: 'start' | 'stop'): Promise<ActionResult> {
    if ((await this.status()) === (verb === 'start' ? 'running' : 'stopped')) return OK;
    const r = await this.#run(verb);
    return succeeded(r) ? OK : failed(`${this.#spec.path} ${verb}: ${describeResult(r)}`);
  }

  #run(verb: string): Promise<ProcessResult> {
    const argv = [this.#spec.path, ...(this.#spec.args ?? []), verb];
    return this.#runner.run(
      argv,
      this.#spec.timeoutMs === undefined ? {} : { timeoutMs: this.#spec.timeoutMs },
    );
  }
}
