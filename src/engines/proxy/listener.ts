/** The socket(s) one virtual service listens on. */
export interface Listener {
  /** Bind; rejects with the system error (EADDRINUSE, EACCES…) and leaves nothing bound. */
  listen(): Promise<void>;
  /** Stop receiving new clients or datagrams; resolves once the listening socket is closed. */
  close(): Promise<void>;
}
