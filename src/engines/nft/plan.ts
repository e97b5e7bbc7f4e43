import {
  type NftRuleset,
  type NftSetDecl,
  type NftTable,
  elementList,
  serializeChain,
  serializeSet,
  serializeTable,
} from './ruleset.ts';

/**
 * old ruleset → new ruleset as one `nft -f` script (one atomic batch). Pure.
 *
 * - Same shape (every declaration and rule equal; only static set/map contents differ): element commands
 *   only — `delete element` for keys gone or re-pointed, `add element` for keys new or re-pointed. This is
 *   what a weight, health or admin change of one real server produces.
 * - Shape changed: the table is rebuilt in place in the same batch: rules flushed, objects that went away
 *   or changed declaration deleted, static contents reloaded, everything declared again (order: flush rules, flush kept static maps, delete
 *   dropped sets/maps/counters — releasing their chain references — then dropped chains). Dynamic maps (DR
 *   flow table, persistence) whose declaration is unchanged keep their entries, and so do counters.
 * - No old ruleset (start): any leftover table of that name is deleted first, then created.
 */
export type PlanKind = 'none' | 'elements' | 'rebuild' | 'fresh';

export interface Plan {
  readonly kind: PlanKind;
  /** The batch for `nft -f -`; '' when kind is none. */
  readonly script: string;
}

export function plan(prev: NftRuleset | undefined, next: NftRuleset): Plan {
  const parts: string[] = [];
  let kind: PlanKind = 'none';
  const bump = (k: PlanKind) => {
    const order: PlanKind[] = ['none', 'elements', 'rebuild', 'fresh'];
    if (order.indexOf(k) > order.indexOf(kind)) kind = k;
  };
  const key = (t: NftTable) => `${t.family} ${t.name}`;
  const before = new Map((prev?.tables ?? []).map((t) => [key(t), t]));
  for (const t of next.tables) {
    const old = before.get(key(t));
    before.delete(key(t));
    if (!prev || !old) {
      parts.push(`add table ${key(t)}\ndelete table ${key(t)}\n${serializeTable(t)}`);
      bump(prev ? 'rebuild' : 'fresh');
    } else if (shapeOf(old) === shapeOf(t)) {
      const els = elementChanges(old, t);
      if (els) {
        parts.push(els);
        bump('elements');
      }
    } else {
      parts.push(rebuild(old, t));
      bump('rebuild');
    }
  }
  for (const t of before.values()) {
    parts.push(`delete table ${key(t)}\n`);
    bump('rebuild');
  }
  return { kind, script: parts.join('') };
}

/** Everything but static contents, as text: equal shapes differ in elements only. */
export function shapeOf(t: NftTable): string {
  return serializeTable({ ...t, sets: t.sets.map((s) => ({ ...s, elements: undefined as never })) });
}

function elementChanges(old: NftTable, next: NftTable): string {
  const prevSets = new Map(old.sets.map((s) => [s.name, s]));
  const out: string[] = [];
  const where = `${next.family} ${next.name}`;
  for (const s of next.sets) {
    const was = prevSets.get(s.name)?.elements;
    if (!s.elements || !was) continue;
    const gone = new Map<string, string>();
    const added = new Map<string, string>();
    for (const [k, v] of was) if (s.elements.get(k) !== v) gone.set(k, v);
    for (const [k, v] of s.elements) if (was.get(k) !== v) added.set(k, v);
    const del = elementList(gone, true);
    const add = elementList(added);
    if (del) out.push(`delete element ${where} ${s.name} ${del}\n`);
    if (add) out.push(`add element ${where} ${s.name} ${add}\n`);
  }
  return out.join('');
}

function rebuild(old: NftTable, next: NftTable): string {
  const where = `${next.family} ${next.name}`;
  const out = [`flush table ${where}\n`];
  const nextSets = new Map(next.sets.map((s) => [s.name, s]));
  const nextChains = new Map(next.chains.map((c) => [c.name, c]));
  const declOf = (s: NftSetDecl) => serializeSet(s, false);
  for (const s of old.sets) {
    const n = nextSets.get(s.name);
    const kept = n !== undefined && n.kind === s.kind && declOf(n) === declOf(s);
    if (kept && s.elements) out.push(`flush ${s.kind} ${where} ${s.name}\n`);
  }
  for (const s of old.sets) {
    const n = nextSets.get(s.name);
    if (!n || n.kind !== s.kind || declOf(n) !== declOf(s)) out.push(`delete ${s.kind} ${where} ${s.name}\n`);
  }
  for (const c of old.chains) {
    const n = nextChains.get(c.name);
    if (!n || n.hook !== c.hook) out.push(`delete chain ${where} ${c.name}\n`);
  }
  out.push(
    `table ${where} {\n${next.sets.map((s) => serializeSet(s)).join('')}${next.chains.map(serializeChain).join('')}}\n`,
  );
  return out.join('');
}
