/**
 * `ipvsadm -R` input → one argv per command line (ipvsadm's config_stream): words split on blanks, every
 * word "ipvsadm" dropped, lines left empty skipped. Lines whose first word starts with '#' are comments
 * (ipvsadm-restore filters them before ipvsadm sees them).
 */
export function restoreLines(input: string): string[][] {
  const out: string[][] = [];
  for (const line of input.split('\n')) {
    const words = line.split(/[ \t\r]+/).filter((w) => w !== '');
    if (words[0]?.startsWith('#')) continue;
    const args = words.filter((w) => w !== 'ipvsadm');
    if (args.length > 0) out.push(args);
  }
  return out;
}
