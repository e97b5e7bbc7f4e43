/**
 * The rendered ruleset as data: tables of named objects (sets, maps, chains) whose declarations and
 * rules are nft text, and whose static set/map contents are element maps the planner can diff one element at
 * a time. `serializeTable` writes the `nft -f` text of a whole table.
 *
 * Why nft text and not JSON (`nft -j -f`): nftables 1.0.6's JSON parser has no dynamic map-update statement
 * (`update @map { key : value }` → "Unknown statement object 'map'"), which the DR flow table and persistence
 * need. A text file is one netlink batch exactly as a JSON one is: it applies wholly or not at all.
 * Reading (counters, map contents) uses `nft -j list`.
 */

export type NftFamily = 'inet' | 'netdev';

export interface NftSetDecl {
  readonly kind: 'set' | 'map';
  readonly name: string;
  /** Declaration statements inside the braces, without elements (e.g. "type mark : verdict"). */
  readonly decl: readonly string[];
  /** Static contents, key → value ('' for a set). Absent for counters and for dynamic sets. */
  readonly elements?: ReadonlyMap<string, string>;
  /** Filled by the packet path (flow table, persistence): never written, kept across re-renders. */
  readonly dynamic?: boolean;
  /**
   * A set declared with `counter` (one counter per element): never flushed, so the counters of elements
   * that stay survive every change; only elements that went away are deleted (plan.ts).
   */
  readonly counted?: boolean;
}

export interface NftChainDecl {
  readonly name: string;
  /** Base chain header, e.g. "type nat hook prerouting priority dstnat; policy accept". */
  readonly hook?: string;
  readonly rules: readonly string[];
}

export interface NftTable {
  readonly family: NftFamily;
  readonly name: string;
  readonly sets: readonly NftSetDecl[];
  readonly chains: readonly NftChainDecl[];
}

export interface NftRuleset {
  readonly tables: readonly NftTable[];
}

/** `{ k : v, … }` or `{ k, … }`; undefined when empty (nft rejects an empty element list). */
export function elementList(elements: ReadonlyMap<string, string>, keysOnly = false): string | undefined {
  if (elements.size === 0) return undefined;
  const parts: string[] = [];
  for (const [k, v] of elements) parts.push(keysOnly || v === '' ? k : `${k} : ${v}`);
  return `{ ${parts.join(', ')} }`;
}

export function serializeSet(s: NftSetDecl, withElements = true): string {
  const body = [...s.decl];
  const els = withElements && s.elements ? elementList(s.elements) : undefined;
  if (els) body.push(`elements = ${els}`);
  const inner = body.map((l) => `\t\t${l}\n`).join('');
  return `\t${s.kind} ${s.name} {\n${inner}\t}\n`;
}

export function serializeChain(c: NftChainDecl): string {
  const lines = [...(c.hook ? [`${c.hook};`] : []), ...c.rules];
  return `\tchain ${c.name} {\n${lines.map((l) => `\t\t${l}\n`).join('')}\t}\n`;
}

/** The whole table as one `table … { … }` block. */
export function serializeTable(t: NftTable): string {
  const objs = [...t.sets.map((s) => serializeSet(s)), ...t.chains.map(serializeChain)];
  return `table ${t.family} ${t.name} {\n${objs.join('')}}\n`;
}

export function serializeRuleset(r: NftRuleset): string {
  return r.tables.map(serializeTable).join('');
}
