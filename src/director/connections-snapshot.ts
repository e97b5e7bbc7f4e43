import type { Director } from './director.ts';
import type { Connection } from './connection.ts';
import type { Template } from './persistence.ts';
import type { VirtualService } from './virtual-service.ts';

/**
 * The connection table as `ipvsadm -L -c` shows it: one entry per live connection (TCP session or UDP flow)
 * and one per persistence template, with the state name LVS would print and the time left before the entry
 * expires. JSON-ready; the admin API serves it at GET /v1/connections.
 */
export interface ConnectionEntry {
  /** The virtual service's id (tcp:ADDRESS:PORT). */
  service: string;
  protocol: 'tcp' | 'udp';
  /**
   * LVS state name: TCP `SYN_RECV` (the proxy is still connecting to the real server), `ESTABLISHED`,
   * `FIN_WAIT` (one side has closed); every UDP entry `UDP`; a TCP persistence template `NONE`.
   */
  state: string;
  /** A persistence template (client port 0; the client address is masked by the service's -M). */
  template: boolean;
  /** Milliseconds until the entry expires if nothing happens; 0 when due (a template held by live connections). */
  expiresInMs: number;
  client: { address: string; port: number };
  virtual: { address: string; port: number };
  real: { address: string; port: number };
}

export function snapshotConnections(d: Director, nowMs: number): ConnectionEntry[] {
  const out: ConnectionEntry[] = [];
  for (const svc of d.services.values()) {
    for (const t of svc.templates?.entries() ?? []) out.push(templateEntry(svc, t, nowMs));
    const conns = [...svc.connections].filter((c) => c.state !== 'closed').sort((a, b) => a.id - b.id);
    for (const c of conns) out.push(connectionEntry(svc, c, nowMs));
  }
  return out;
}

function connectionEntry(svc: VirtualService, c: Connection, nowMs: number): ConnectionEntry {
  const protocol = svc.spec.protocol;
  return {
    service: svc.id,
    protocol,
    state: protocol === 'udp' ? 'UDP' : TCP_STATE[c.state],
    template: false,
    expiresInMs: Math.max(0, c.expiresMs - nowMs),
    client: { address: c.clientAddress, port: c.clientPort },
    virtual: { address: svc.spec.address, port: svc.spec.port },
    real: { address: c.dest.address, port: c.dest.port },
  };
}

const TCP_STATE: Record<Connection['state'], string> = {
  connecting: 'SYN_RECV',
  established: 'ESTABLISHED',
  closing: 'FIN_WAIT',
  closed: 'CLOSE',
};

/** Template key layout (virtual-service.ts): protocol|masked client|virtual address|virtual port. */
function templateEntry(svc: VirtualService, t: Template, nowMs: number): ConnectionEntry {
  const [, client = '', vaddr = svc.spec.address, vport = String(svc.spec.port)] = t.key.split('|');
  const protocol = svc.spec.protocol;
  return {
    service: svc.id,
    protocol,
    state: protocol === 'udp' ? 'UDP' : 'NONE',
    template: true,
    expiresInMs: Math.max(0, t.expiresMs - nowMs),
    client: { address: client, port: 0 },
    virtual: { address: vaddr, port: Number(vport) },
    real: { address: t.dest.address, port: t.dest.port },
  };
}
