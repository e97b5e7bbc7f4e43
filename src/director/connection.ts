import type { Template } from './persistence.ts';
import type { RealServer } from './real-server.ts';
import type { VirtualService } from './virtual-service.ts';

/**
 * One client connection (TCP) or flow (UDP) bound to a real server — an entry of the LVS connection
 * table. Accounting follows the kernel: a connection is INACTIVE from creation until it is established,
 * ACTIVE while established, INACTIVE again once either side has sent FIN, and gone when closed.
 * UDP flows are never established, so they stay inactive for their whole life (as in LVS).
 *
 * States: connecting → established → closing → closed; connecting → closed (connect failed).
 */
export type ConnState = 'connecting' | 'established' | 'closing' | 'closed';

let nextId = 1;

export class Connection {
  readonly id = nextId++;
  state: ConnState = 'connecting';
  /** Monotonic ms when the entry expires if nothing happens (idle timeout of its state). */
  expiresMs = 0;

  constructor(
    readonly service: VirtualService,
    readonly dest: RealServer,
    readonly clientAddress: string,
    readonly clientPort: number,
    readonly template: Template | undefined,
    readonly createdMs: number,
  ) {}

  /** Payload from the client towards the real server: one read chunk or datagram. */
  countIn(bytes: number): void {
    const d = this.dest.stats;
    const s = this.service.stats;
    d.inPkts++;
    d.inBytes += bytes;
    s.inPkts++;
    s.inBytes += bytes;
  }

  /** Payload from the real server back to the client. */
  countOut(bytes: number): void {
    const d = this.dest.stats;
    const s = this.service.stats;
    d.outPkts++;
    d.outBytes += bytes;
    s.outPkts++;
    s.outBytes += bytes;
  }

  established(): void {
    if (this.state !== 'connecting') return;
    this.state = 'established';
    this.dest.inactConns--;
    this.dest.activeConns++;
  }

  /** Either side sent FIN (half-close): ESTABLISHED → FIN_WAIT/CLOSE_WAIT, counted inactive again. */
  closing(): void {
    if (this.state !== 'established') return;
    this.state = 'closing';
    this.dest.activeConns--;
    this.dest.inactConns++;
  }

  /** The entry is gone. Idempotent. */
  close(nowMs: number): void {
    if (this.state === 'closed') return;
    if (this.state === 'established') this.dest.activeConns--;
    else this.dest.inactConns--;
    this.state = 'closed';
    this.dest.updateOverload();
    this.service.release(this, nowMs);
  }
}
