/**
 * Idle timeouts of connection entries (ipvsadm --set tcp tcpfin udp), in ms. Defaults follow LVS:
 * ESTABLISHED 900 s, FIN_WAIT 120 s, UDP 300 s. The proxy engine applies `tcpMs` to an established
 * connection with no traffic, `tcpFinMs` to a half-closed one, `udpMs` to an idle UDP flow.
 */
export interface Timeouts {
  readonly tcpMs: number;
  readonly tcpFinMs: number;
  readonly udpMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { tcpMs: 900_000, tcpFinMs: 120_000, udpMs: 300_000 };

/** ipvsadm --set semantics: a 0 keeps the current value. */
export function mergeTimeouts(cur: Timeouts, next: Partial<Timeouts>): Timeouts {
  const pick = (a: number, b: number | undefined) => (b === undefined || b === 0 ? a : b);
  return {
    tcpMs: pick(cur.tcpMs, next.tcpMs),
    tcpFinMs: pick(cur.tcpFinMs, next.tcpFinMs),
    udpMs: pick(cur.udpMs, next.udpMs),
  };
}
