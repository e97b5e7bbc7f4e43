import {
  type NftChainDecl,
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
 * - Same skeleton (the same sets with the same declarations, the same chains in the same order), some
 *   chains' rules differ: those chains are flushed and their rules added again, plus the element commands.
 *   A weight or health change of an rr/wrr/fo service produces this: its slot count M is in a rule (slots.ts).
 * - Shape changed: the table is rebuilt in place in the same batch: rules flushed, objects that went away
 *   or changed declaration deleted, static contents reloaded, everything declared again (order: flush rules,
 *   flush kept static maps, delete dropped sets/maps — releasing their chain references — then dropped
 *   chains). Dynamic maps (DR flow table, persistence) whose declaration is unchanged keep their entries.
 *   Counted sets are never flushed: only their elements that went away are deleted, so the counters of
 *   the others keep counting.
 * - No old ruleset (start): any leftover table of that name is deleted first, then created.
 */
export type PlanKind = 'none' | 'elements' | 'rules' | 'rebuild' | 'fresh';

export interface Plan {
  readonly kind: PlanKind;
  /** The batch for `nft -f -`; '' when kind is none. */
  readonly script: string;
}

export function plan(prev: NftRuleset | undefined, next: NftRuleset): Plan {
  const parts: string[] = [];
  let kind: PlanKind = 'none';
  const bump = (k: PlanKind) => {
    const order: PlanKind[] = ['none', 'elements', 'rules', 'rebuild', 'fresh'];
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
    } else if (sameShape(old, t)) {
      const els = elementChanges(old, t);
      if (els) {
        parts.push(els);
        bump('elements');
      }
    } else if (sameSkeleton(old, t)) {
      parts.push(ruleChanges(old, t), elementChanges(old, t));
      bump('rules');
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

/** Equal in everything but static contents (objects in the same order, same declarations and rules). */
export function sameShape(a: NftTable, b: NftTable): boolean {
  if (a.sets.length !== b.sets.length || a.chains.length !== b.chains.length) return false;
  const declOf = (s: NftSetDecl) => serializeSet(s, false);
  for (let i = 0; i < a.sets.length; i++) {
    const x = a.sets[i] as NftSetDecl;
    const y = b.sets[i] as NftSetDecl;
    if (x !== y && (x.kind !== y.kind || x.name !== y.name || declOf(x) !== declOf(y))) return false;
  }
  for (let i = 0; i < a.chains.length; i++) {
    const x = a.chains[i] as NftChainDecl;
    const y = b.chains[i] as NftChainDecl;
    if (x !== y && serializeChain(x) !== serializeChain(y)) return false;
  }
  return true;
}

/** Only called when sameShape(old, next): the sets are the same names in the same order. */
/** Equal sets (as sameShape) and the same chains (names, hooks) in the same order; rules may differ. */
function sameSkeleton(a: NftTable, b: NftTable): boolean {
  if (a.sets.length !== b.sets.length || a.chains.length !== b.chains.length) return false;
  for (let i = 0; i < a.sets.length; i++) {
    const x = a.sets[i] as NftSetDecl;
    const y = b.sets[i] as NftSetDecl;
    if (
      x !== y &&
      (x.kind !== y.kind || x.name !== y.name || serializeSet(x, false) !== serializeSet(y, false))
    )
      return false;
  }
  for (let i = 0; i < a.chains.length; i++) {
    const x = a.chains[i] as NftChainDecl;
    const y = b.chains[i] as NftChainDecl;
    if (x !== y && (x.name !== y.name || x.hook !== y.hook)) return false;
  }
  return true;
}

/** `flush chain` + `add rule`s of every chain whose rules differ (only called when sameSkeleton). */
function ruleChanges(old: NftTable, next: NftTable): string {
  const where = `${next.family} ${next.name}`;
  const out: string[] = [];
  for (let i = 0; i < next.chains.length; i++) {
    const c = next.chains[i] as NftChainDecl;
    const was = old.chains[i] as NftChainDecl;
    if (c === was || (c.rules.length === was.rules.length && c.rules.every((r, k) => r === was.rules[k])))
      continue;
    out.push(`flush chain ${where} ${c.name}\n`, ...c.rules.map((r) => `add rule ${where} ${c.name} ${r}\n`));
  }
  return out.join('');
}

function elementChanges(old: NftTable, next: NftTable): string {
  const out: string[] = [];
  const where = `${next.family} ${next.name}`;
  for (let i = 0; i < next.sets.length; i++) {
    const s = next.sets[i] as NftSetDecl;
    const prevSet = old.sets[i];
    const was = prevSet?.elements;
    if (prevSet === s || !s.elements || !was || was === s.elements) continue;
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
    if (!kept || !s.elements) continue;
    if (!s.counted) {
      out.push(`flush ${s.kind} ${where} ${s.name}\n`);
      continue;
    }
    // Counted: keep the elements that stay (and their counters); the declaration below re-adds them as no-ops.
    const gone = [...s.elements.keys()].filter((k) => !n.elements?.has(k));
    if (gone.length > 0) out.push(`delete element ${where} ${s.name} { ${gone.join(', ')} }\n`);
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
