import { type ActionResult, failed, OK, type Resource, type ResourceStatus } from './resource.ts';

/**
 * The director's balancing as a resource: the virtual services accept traffic only while the group that
 * holds them is owned here (DESIGN.md §4). The composition root implements `ServicesControl` by binding the
 * engine's listeners on `activate` (with `ip_nonlocal_bind`, or after the address is up: the group starts
 * the address first) and unbinding them on `deactivate`.
 */
export interface ServicesControl {
  /** Start accepting on every virtual service; idempotent; rejects with the reason on failure. */
  activate(): Promise<void>;
  /** Stop accepting (established connections may drain); idempotent. */
  deactivate(): Promise<void>;
  /** Whether the services are accepting now. */
  active(): boolean;
}

export class ServicesResource implements Resource {
  readonly name: string;
  readonly #control: ServicesControl;

  constructor(control: ServicesControl, name = 'webfarm::services') {
    this.#control = control;
    this.name = name;
  }

  async status(): Promise<ResourceStatus> {
    return this.#control.active() ? 'running' : 'stopped';
  }

  start(): Promise<ActionResult> {
    return this.#call(() => this.#control.activate(), 'activate');
  }

  stop(): Promise<ActionResult> {
    return this.#call(() => this.#control.deactivate(), 'deactivate');
  }

  async #call(f: () => Promise<void>, what: string): Promise<ActionResult> {
    try {
      await f();
      return OK;
    } catch (e) {
      return failed(`services ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
