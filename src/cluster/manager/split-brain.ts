/**
 * Split brain (seed-system.md §2.10; docs/cluster.md "Split brain"). When every medium fails both nodes
 * declare each other dead and both take the groups. When they hear each other again and find a group both
 * hold, exactly one keeps it:
 *
 *   the keeper is the group's preferred node, if that is one of the two; otherwise the node whose name
 *   sorts first (plain code-unit order).
 *
 * Both sides compute this from the same inputs (the haresources line is identical on both nodes), so they
 * agree without another round of messages. The preferred node is the natural keeper: with auto_failback on
 * it would get the group back anyway, and with it off nothing is lost by ending where a fresh start would.
 * The other node releases (stops the group, sends no ARP); the keeper re-announces the address with a
 * gratuitous ARP train once the other's hold message shows the group released, so its frames are the last
 * ones neighbours see.
 */
export function splitBrainKeeper(preferred: string, a: string, b: string): string {
  if (preferred === a || preferred === b) return preferred;
  return a < b ? a : b;
}
