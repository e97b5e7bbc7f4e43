import { type ActionResult, failed, OK, type Resource, type ResourceStatus } from '../resource.ts';

/** An in-memory resource for group and manager tests: logs `start NAME`/`stop NAME`, fails when told. */
export class FakeResource implements Resource {
  readonly name: string;
  readonly log: string[];
  running = false;
  failStart = false;
  failStop = false;
  announced = 0;

  constructor(name: string, log: string[] = []) {
    this.name = name;
    this.log = log;
  }

  async start(): Promise<ActionResult> {
    this.log.push(`start ${this.name}`);
    if (this.failStart) return failed('told to fail');
    this.running = true;
    return OK;
  }

  async stop(): Promise<ActionResult> {
    this.log.push(`stop ${this.name}`);
    if (this.failStop) return failed('told to fail');
    this.running = false;
    return OK;
  }

  async status(): Promise<ResourceStatus> {
    return this.running ? 'running' : 'stopped';
  }

  announce(): void {
    this.announced += 1;
    this.log.push(`announce ${this.name}`);
  }
}
