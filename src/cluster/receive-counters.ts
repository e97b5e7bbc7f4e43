import { REJECT_REASONS, type RejectReason, type Verdict } from './receive-filter.ts';

/** Totals for reporting: accepted, ignored, and one count per reject reason. */
export type ReceiveCounters = Readonly<Record<RejectReason | 'accepted' | 'ignored', number>>;

export function emptyReceiveCounters(): ReceiveCounters {
  const c: Record<string, number> = { accepted: 0, ignored: 0 };
  for (const r of REJECT_REASONS) c[r] = 0;
  return c as ReceiveCounters;
}

export function countVerdict(c: ReceiveCounters, v: Verdict): ReceiveCounters {
  const key = v.kind === 'accept' ? 'accepted' : v.kind === 'ignore' ? 'ignored' : v.reason;
  return { ...c, [key]: c[key] + 1 };
}
