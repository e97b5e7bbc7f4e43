/**
 * Keys of dynamic map entries as `nft -j list map` prints them, back into nft element syntax, and the
 * `delete element` batch that drops the entries pointing at some marks. Pure.
 */

/** A JSON element key: "192.0.2.1", 80, {"concat": [...]}, or wrapped as {"elem": {"val": …, "expires": …}}. */
export function keyText(key: unknown): string {
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  if (key && typeof key === 'object') {
    const o = key as { elem?: { val?: unknown }; concat?: unknown[] };
    if (o.elem) return keyText(o.elem.val);
    if (Array.isArray(o.concat)) return o.concat.map(keyText).join(' . ');
  }
  throw new Error(`unexpected nft element key ${JSON.stringify(key)}`);
}

export function purgeScript(
  family: string,
  table: string,
  map: string,
  entries: ReadonlyArray<readonly [unknown, unknown]>,
  marks: ReadonlySet<number>,
): string {
  const keys = entries.filter(([, v]) => marks.has(Number(v))).map(([k]) => keyText(k));
  return keys.length === 0 ? '' : `delete element ${family} ${table} ${map} { ${keys.join(', ')} }\n`;
}
