/**
 * Traffic counters of a virtual service or real server, as ipvsadm --stats shows them.
 *
 * What a "packet" is depends on the engine. For the proxy engine a TCP stream has no packets of its own,
 * so InPkts counts the chunks read from the client socket (one per `data` event) and OutPkts the chunks read
 * from the real server socket; for UDP each datagram is one packet. Bytes are payload bytes (no headers).
 * "In" is client → real server, "out" is real server → client, as in LVS.
 */
export class Stats {
  conns = 0;
  inPkts = 0;
  outPkts = 0;
  inBytes = 0;
  outBytes = 0;

  /** ipvsadm -Z: zero the totals (never the ActiveConn/InActConn gauges, which live elsewhere). */
  zero(): void {
    this.conns = 0;
    this.inPkts = 0;
    this.outPkts = 0;
    this.inBytes = 0;
    this.outBytes = 0;
  }

  toJSON(): StatsSnapshot {
    return {
      conns: this.conns,
      inPkts: this.inPkts,
      outPkts: this.outPkts,
      inBytes: this.inBytes,
      outBytes: this.outBytes,
    };
  }
}

export interface StatsSnapshot {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}
