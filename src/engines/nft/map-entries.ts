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

/** [key, value] pairs of the first map in `nft -j list map` output. */
export function mapEntries(objs: ReadonlyArray<Record<string, unknown>>): Array<[unknown, unknown]> {
  for (const o of objs) {
    const m = o.map as { elem?: Array<[unknown, unknown]> } | undefined;
    if (m) return m.elem ?? [];
  }
  return [];
}

/** The keys (element syntax) of the first set in `nft -j list set` output. */
export function setKeys(objs: ReadonlyArray<Record<string, unknown>>): Set<string> {
  for (const o of objs) {
    const s = o.set as { elem?: unknown[] } | undefined;
    if (s) return new Set((s.elem ?? []).map(keyText));
  }
  return new Set();
}

/**
 * DR, service `n`: drop the closing flows (key in `s<n>_fin`) that point at `marks` from both the flow map
 * and the closing set, so a new connection on a reused client port is scheduled afresh (render.ts
 * closingRules). Established flows stay. Pure.
 */
export function closingPurgeScript(
  table: string,
  n: number,
  flows: ReadonlyArray<readonly [unknown, unknown]>,
  closing: ReadonlySet<string>,
  marks: ReadonlySet<number>,
): string {
  const keys = flows
    .filter(([k, v]) => marks.has(Number(v)) && closing.has(keyText(k)))
    .map(([k]) => keyText(k));
  if (keys.length === 0) return '';
  const list = keys.join(', ');
  return `delete element netdev ${table} s${n}_flows { ${list} }\ndelete element netdev ${table} s${n}_fin { ${list} }\n`;
}
