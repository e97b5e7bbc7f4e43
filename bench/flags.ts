/**
 * The option loop shared by the benchmark command lines (bench/args.ts, bench/failover/args.ts): `--name
 * value` or `--name=value`, unknown options and missing values are errors, never thrown past the parser.
 */

/** What a parser does with one option: true = known (value read through `value()` if it takes one). */
export type OnFlag = (name: string, value: () => string) => boolean;

/** Walk argv; undefined when every option was known and valid, else the error text. */
export function walkFlags(argv: readonly string[], onFlag: OnFlag): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const eq = flag.indexOf('=');
    const name = eq >= 0 ? flag.slice(0, eq) : flag;
    const inline = eq >= 0 ? flag.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    try {
      if (!onFlag(name, value)) return `unknown option ${flag}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

/** "5s" | "500ms" | "5" → seconds. Zero only when `allowZero`. */
export function parseSeconds(name: string, text: string, allowZero = false): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!m) throw new Error(`${name} must be a duration like 5s or 500ms, not "${text}"`);
  const n = Number(m[1]) / (m[2] === 'ms' ? 1000 : 1);
  if (n === 0 && !allowZero) throw new Error(`${name} must be positive`);
  return n;
}

/** A whole number ≥ min. */
export function wholeNumber(name: string, text: string, min = 1): number {
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, not "${text}"`);
  return Number(text);
}

/**
 * A comma list of allowed items (and group names standing for several), deduplicated, in `allowed` order.
 */
export function parseList<T extends string>(
  name: string,
  text: string,
  allowed: readonly T[],
  groups: Readonly<Record<string, readonly T[]>> = {},
): T[] {
  const items = text.split(',').filter((s) => s !== '');
  const picked = new Set<T>();
  for (const s of items) {
    const group = Object.hasOwn(groups, s) ? groups[s] : undefined;
    if (group) for (const g of group) picked.add(g);
    else if (allowed.includes(s as T)) picked.add(s as T);
    else
      throw new Error(`${name}: unknown "${s}" (one of ${[...allowed, ...Object.keys(groups)].join(',')})`);
  }
  if (picked.size === 0) throw new Error(`${name} needs at least one item`);
  return allowed.filter((a) => picked.has(a));
}
