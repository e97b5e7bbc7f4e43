/** A health transition worth telling an operator about (log line, webhook body, alert command env). */
export interface Alert {
  readonly kind: 'real-down' | 'real-up' | 'fallback-in' | 'fallback-out';
  /** Director service id, `tcp:192.0.2.1:80`. */
  readonly service: string;
  /** Real server id (`10.0.0.1:80`) or, for fallback alerts, the fallback server's id if there is one. */
  readonly real?: string;
  readonly reason?: string;
}

/** An alert as sent: with the wall-clock time it happened (ISO 8601). */
export interface SentAlert extends Alert {
  readonly at: string;
}
