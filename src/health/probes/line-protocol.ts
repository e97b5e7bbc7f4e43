import { connect, type Socket } from 'node:net';
import type { ProbeResult } from '../probe.ts';

/**
 * The socket side shared by the dialogue probes (smtp, pop, imap, ftp, redis, ldap): a TCP conversation with
 * buffered reads of lines or byte counts. An expected failure (refused, reset, closed early, aborted, bad
 * answer) is a ProbeFailure; `dialogue` turns it into `{ ok: false, reason }` and always destroys the socket.
 */
export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure';
}

/** Stop the dialogue: the check is down with `reason`. */
export function fail(reason: string): never {
  throw new ProbeFailure(reason);
}

/** Longest line accepted from a peer (bytes); a longer one is a protocol failure, not a memory sink. */
export const MAX_LINE = 64 * 1024;

export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error && r.name !== 'AbortError') return `aborted: ${r.message}`;
  if (typeof r === 'string') return `aborted: ${r}`;
  return 'aborted (check timeout)';
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message ?? String(e);
}

export class Conversation {
  private buffered: Buffer = Buffer.alloc(0);
  /** Why no more data will come (peer closed, socket error); reads still drain what is buffered first. */
  private closed: string | undefined;
  /** Set on abort: reads fail at once, buffered data or not. */
  private aborted: string | undefined;
  private wake: (() => void) | undefined;
  /** `finish` has handed the socket to its goodbye; `close` leaves it alone. */
  private finished = false;
  private readonly onAbort: () => void;

  private constructor(
    private readonly socket: Socket,
    private readonly signal: AbortSignal,
    readonly peer: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.notify();
    });
    socket.on('end', () => this.markClosed('connection closed by peer'));
    socket.on('close', () => this.markClosed('connection closed by peer'));
    socket.on('error', (e) => this.markClosed(`${peer}: ${errorText(e)}`));
    this.onAbort = () => {
      this.aborted = abortReason(signal);
      socket.destroy();
      this.notify();
    };
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connect to host:port; fails with the connect error or on abort. */
  static open(host: string, port: number, signal: AbortSignal): Promise<Conversation> {
    const peer = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    if (signal.aborted) return Promise.reject(new ProbeFailure(abortReason(signal)));
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const onAbort = () => {
        socket.destroy();
        reject(new ProbeFailure(abortReason(signal)));
      };
      const onError = (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(new ProbeFailure(`connect to ${peer}: ${errorText(e)}`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        socket.setNoDelay(true);
        resolve(new Conversation(socket, signal, peer));
      });
    });
  }

  /** The next line without its CR LF (or bare LF), decoded as latin1 so any byte survives. */
  async line(): Promise<string> {
    for (;;) {
      this.throwIfAborted();
      const nl = this.buffered.indexOf(0x0a);
      if (nl >= 0) {
        const end = nl > 0 && this.buffered[nl - 1] === 0x0d ? nl - 1 : nl;
        const text = this.buffered.subarray(0, end).toString('latin1');
        this.buffered = this.buffered.subarray(nl + 1);
        return text;
      }
      if (this.buffered.length > MAX_LINE) fail(`line longer than ${MAX_LINE} bytes from ${this.peer}`);
      await this.more('a line');
    }
  }

  /** Exactly `n` bytes. */
  async bytes(n: number): Promise<Buffer> {
    for (;;) {
      this.throwIfAborted();
      if (this.buffered.length >= n) {
        const out = this.buffered.subarray(0, n);
        this.buffered = this.buffered.subarray(n);
        return out;
      }
      await this.more(`${n} bytes`);
    }
  }

  /** Everything until the peer closes (a data connection); fails past `limit` bytes. */
  async rest(limit: number): Promise<Buffer> {
    for (;;) {
      this.throwIfAborted();
      if (this.buffered.length > limit) fail(`more than ${limit} bytes from ${this.peer}`);
      if (this.closed !== undefined) {
        if (this.closed !== 'connection closed by peer') fail(this.closed);
        const out = this.buffered;
        this.buffered = Buffer.alloc(0);
        return out;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  send(data: string | Buffer): void {
    this.throwIfAborted();
    if (this.closed !== undefined) fail(`${this.closed} (while sending)`);
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /** A polite goodbye: send `data` (QUIT, LOGOUT…), close our side once it is flushed, then release. */
  finish(data: string | Buffer): void {
    this.detach();
    this.finished = true;
    if (this.closed !== undefined || this.socket.destroyed) {
      this.socket.destroy();
      return;
    }
    this.socket.end(data, () => this.socket.destroy());
    this.socket.on('error', () => this.socket.destroy());
  }

  /** Release at once (idempotent). */
  close(): void {
    this.detach();
    if (!this.finished) this.socket.destroy();
  }

  private detach(): void {
    this.signal.removeEventListener('abort', this.onAbort);
  }

  private throwIfAborted(): void {
    if (this.aborted !== undefined) fail(this.aborted);
  }

  private async more(what: string): Promise<void> {
    if (this.closed !== undefined) {
      const partial = this.buffered.length > 0 ? ` after ${this.buffered.length} bytes` : '';
      fail(`${this.closed} while waiting for ${what}${partial}`);
    }
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  private markClosed(reason: string): void {
    this.closed ??= reason;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

/**
 * Open a conversation with host:port, run `body`, and map expected failures to `{ ok: false, reason }`. The
 * socket is destroyed on every path unless `body` already said goodbye with `finish`.
 */
export async function dialogue(
  host: string,
  port: number,
  signal: AbortSignal,
  body: (c: Conversation) => Promise<ProbeResult>,
): Promise<ProbeResult> {
  let c: Conversation | undefined;
  try {
    c = await Conversation.open(host, port, signal);
    return await body(c);
  } catch (e) {
    if (e instanceof ProbeFailure) return { ok: false, reason: e.message };
    throw e;
  } finally {
    c?.close();
  }
}

/**
 * A numbered reply as SMTP (RFC 5321 §4.2) and FTP (RFC 959 §4.2) write it: `ddd-text` continuation lines,
 * then `ddd text` (or bare `ddd`). Returns the code and the text lines.
 */
export async function codedReply(c: Conversation): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const first = await c.line();
  const m = /^(\d{3})([ -]|$)/.exec(first);
  if (!m) fail(`malformed reply from ${c.peer}: ${quote(first)}`);
  const code = m[1]!;
  lines.push(first.slice(4));
  if (m[2] !== '-') return { code: Number(code), lines };
  for (;;) {
    const next = await c.line();
    if (next.startsWith(`${code} `) || next === code) {
      lines.push(next.slice(4));
      return { code: Number(code), lines };
    }
    // RFC 959 lets FTP continuation lines carry any text; `ddd-` lines are the SMTP form.
    lines.push(next.startsWith(`${code}-`) ? next.slice(4) : next);
  }
}

/** Require one of `codes` (a code below 10 stands for its class: 1 = any 1xx); `step` names the command. */
export async function expectCode(c: Conversation, step: string, ...codes: number[]): Promise<string[]> {
  const r = await codedReply(c);
  const okay = codes.some((want) => (want < 10 ? Math.floor(r.code / 100) === want : r.code === want));
  if (!okay) {
    const wanted = codes.map((w) => (w < 10 ? `${w}xx` : String(w))).join(' or ');
    fail(`${step}: expected ${wanted}, got ${r.code} ${quote(r.lines[0] ?? '')}`);
  }
  return r.lines;
}

/** A peer's text in a reason: bounded, quoted, control characters escaped (JSON string syntax). */
export function quote(text: string, max = 120): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
