/**
 * The ping-node vote (ipfail, seed-system.md §2.12): each node counts the ping nodes it reaches and tells
 * its peer. The side that reaches fewer gives up its resources; the side that reaches more keeps (and takes
 * what the other gives up); equal counts change nothing. Unknown while either count is missing.
 */
export type PingVote = 'fewer' | 'more' | 'equal' | 'unknown';

export function pingVote(mine: number | undefined, theirs: number | undefined): PingVote {
  if (mine === undefined || theirs === undefined) return 'unknown';
  if (mine < theirs) return 'fewer';
  return mine > theirs ? 'more' : 'equal';
}
