import type { ProbeResult } from '../probe.ts';

/**
 * One-shot completion for the event-driven probes (http, https, tcp, udp, dns, external): the first
 * `finish` wins, the probe's cleanup (destroy the socket, cancel the query, kill the child) runs exactly
 * once, and an abort of `signal` finishes the probe as a failure at once (contract in ../probe.ts).
 */
export interface Finisher {
  /** Settles with the first result given to `finish`, or the abort failure. Never rejects. */
  readonly result: Promise<ProbeResult>;
  /** True once settled (the signal may already have been aborted when the finisher was made). */
  readonly done: boolean;
  finish(result: ProbeResult): void;
  fail(reason: string): void;
}

/** What a probe reports when the monitor aborts it (the monitor aborts at the check timeout). */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error && r.name !== 'AbortError') return `aborted: ${r.message}`;
  if (typeof r === 'string') return `aborted: ${r}`;
  return 'aborted (check timeout)';
}

export function finisher(signal: AbortSignal, cleanup: () => void): Finisher {
  let resolve: (r: ProbeResult) => void = () => {};
  const result = new Promise<ProbeResult>((r) => {
    resolve = r;
  });
  let done = false;
  const onAbort = (): void => f.fail(abortReason(signal));
  const f: Finisher = {
    result,
    get done() {
      return done;
    },
    finish(r) {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      try {
        cleanup();
      } finally {
        resolve(r);
      }
    },
    fail(reason) {
      f.finish({ ok: false, reason });
    },
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return f;
}

/**
 * A socket or child-process error as one line: the message, prefixed by its code when it lacks one. An
 * OpenSSL error string ("write EPROTO 80…:error:0A00010B:SSL routines:ssl3_get_record:wrong version
 * number:…") is cut down to its reason ("EPROTO: TLS: wrong version number").
 */
export function errorReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  const ssl = /:SSL routines:[^:]*:([^:]+)/.exec(e.message);
  if (ssl?.[1] !== undefined) return `${code ?? 'TLS error'}: TLS: ${ssl[1]}`;
  const message = e.message.replace(/\s+/g, ' ').trim();
  if (code === undefined || message.includes(code)) return message;
  return `${code}: ${message}`;
}

/** Up to `max` characters of what a peer sent, quoted, for a failure reason. */
export function excerpt(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
