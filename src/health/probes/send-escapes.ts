/**
 * The escapes the tcp and udp probes expand in `request` before sending it (ldirectord simpletcp expands
 * `\n`; webfarm adds `\r`, `\t` and `\\` so CRLF protocols and literal backslashes can be written).
 */
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };

/** `request` with every known escape replaced; anything else after a backslash is left as written. */
export function expandEscapes(text: string): string {
  return text.replace(/\\([\s\S]?)/g, (whole, c: string) => ESCAPES[c] ?? whole);
}

/** Config-time problems: an unknown escape or a trailing lone backslash (both are usually typos). */
export function escapeProblems(field: string, text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/\\([\s\S]?)/g)) {
    const c = m[1] ?? '';
    if (c === '') problems.push(`${field}: ends with a lone backslash (write \\\\ for one backslash)`);
    else if (ESCAPES[c] === undefined) {
      problems.push(`${field}: unknown escape \\${c} (known: \\n \\r \\t \\\\)`);
    }
  }
  return problems;
}
