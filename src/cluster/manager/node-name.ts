/**
 * A node name as it may appear in an argv we build (STONITH) and in haresources: `uname -n` characters —
 * letters, digits, `.`, `-`, `_` — not starting with `-`, at most 253 characters.
 */
export function isValidNodeName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/.test(name);
}
