/**
 * Per-peer sequence tracking (heartbeat `should_drop_message`, seed-system.md §2.2), as one pure transition:
 * where does `seq` fall relative to what we have seen from this peer?
 *
 * - first message, or last+1          → in-order
 * - equal to last                     → duplicate (the same packet over another medium, usually)
 * - beyond last+1 by up to `maxGap`   → gap: accept, remember last+1..seq-1 as missing, ask for them
 * - beyond by more than `maxGap`      → resync: accept, forget what was missing, ask for nothing
 * - below last and recorded missing   → recovered (a retransmission); no longer missing
 * - below last otherwise              → replayed
 */

export interface SeqTrack {
  /** Highest seq accepted; undefined until the first sequenced message (and after a restart). */
  readonly lastSeq: number | undefined;
  /** Seqs we asked for and have not seen, ascending; at most `maxMissing` (the lowest are dropped first). */
  readonly missing: readonly number[];
}

export interface SeqLimits {
  /** heartbeat 0.4.8 SEQGAP: a larger gap means something bad happened; start over. */
  readonly maxGap: number;
  /** How many missing seqs are remembered (0.4.8 MAXMISSING is 16, 3.0.x 500). */
  readonly maxMissing: number;
}

export const DEFAULT_SEQ_LIMITS: SeqLimits = { maxGap: 100, maxMissing: 128 };

export const EMPTY_SEQ_TRACK: SeqTrack = { lastSeq: undefined, missing: [] };

export type SeqOutcome =
  | { readonly kind: 'in-order'; readonly track: SeqTrack }
  | { readonly kind: 'gap'; readonly track: SeqTrack; readonly first: number; readonly last: number }
  | { readonly kind: 'resync'; readonly track: SeqTrack; readonly from: number }
  | { readonly kind: 'recovered'; readonly track: SeqTrack }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'replayed'; readonly last: number };

export function advanceSeq(t: SeqTrack, seq: number, limits: SeqLimits): SeqOutcome {
  const last = t.lastSeq;
  if (last === undefined || seq === last + 1) return { kind: 'in-order', track: { ...t, lastSeq: seq } };
  if (seq === last) return { kind: 'duplicate' };
  if (seq > last) {
    const lost = seq - last - 1;
    if (lost > limits.maxGap) return { kind: 'resync', track: { lastSeq: seq, missing: [] }, from: last };
    const missing = [...t.missing, ...range(last + 1, seq - 1)].slice(-limits.maxMissing);
    return { kind: 'gap', track: { lastSeq: seq, missing }, first: last + 1, last: seq - 1 };
  }
  if (t.missing.includes(seq)) {
    return { kind: 'recovered', track: { ...t, missing: t.missing.filter((s) => s !== seq) } };
  }
  return { kind: 'replayed', last };
}

/** A peer said it cannot resend `seq`: stop waiting for it. */
export function forgetMissing(t: SeqTrack, seq: number): SeqTrack {
  return t.missing.includes(seq) ? { ...t, missing: t.missing.filter((s) => s !== seq) } : t;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}
