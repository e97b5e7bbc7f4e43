/**
 * nft counters → director Stats. The counted sets (render.ts) hold one counter per element: `r_new`
 * (per real server mark: packets = new connections), `r_in` (client → real server), `r_out` (real server →
 * client, NAT only: in DR the replies never reach the director), `drops` (per service number: packets
 * refused, no usable real server). They are read back under the names `r<mark>_new|in|out` and `s<n>_drop`.
 * Values are IP packets and bytes including headers. Pure helpers; the engine reads, diffs and adds.
 */
export interface CounterValue {
  readonly packets: number;
  readonly bytes: number;
}

/** The counted sets and the counter name of their element `k`. */
const COUNTED: Readonly<Record<string, (k: number) => string>> = {
  r_new: (k) => `r${k}_new`,
  r_in: (k) => `r${k}_in`,
  r_out: (k) => `r${k}_out`,
  drops: (k) => `s${k}_drop`,
};

interface SetElem {
  readonly elem?: { readonly val?: unknown; readonly counter?: { packets?: number; bytes?: number } };
}

/** name → value from the counted sets in `nft -j list sets table …` objects (other sets are ignored). */
export function parseCounters(objects: ReadonlyArray<Record<string, unknown>>): Map<string, CounterValue> {
  const out = new Map<string, CounterValue>();
  for (const o of objects) {
    const set = o.set as { name?: string; elem?: ReadonlyArray<SetElem | number> } | undefined;
    const name = set?.name !== undefined ? COUNTED[set.name] : undefined;
    if (!set || !name) continue;
    for (const e of set.elem ?? []) {
      if (typeof e !== 'object' || typeof e.elem?.val !== 'number') continue;
      const c = e.elem.counter;
      out.set(name(e.elem.val), { packets: c?.packets ?? 0, bytes: c?.bytes ?? 0 });
    }
  }
  return out;
}

/**
 * The growth since `prev` (a counter seen for the first time grows from 0; one that went backwards — the
 * table was re-created — counts from 0 again).
 */
export function counterDelta(prev: CounterValue | undefined, now: CounterValue): CounterValue {
  if (!prev || now.packets < prev.packets || now.bytes < prev.bytes) return now;
  return { packets: now.packets - prev.packets, bytes: now.bytes - prev.bytes };
}

export type CounterKind = 'new' | 'in' | 'out';

export function parseCounterName(
  name: string,
): { mark: number; kind: CounterKind } | { drop: number } | undefined {
  const r = /^r(\d+)_(new|in|out)$/.exec(name);
  if (r) return { mark: Number(r[1]), kind: r[2] as CounterKind };
  const d = /^s(\d+)_drop$/.exec(name);
  return d ? { drop: Number(d[1]) } : undefined;
}

/**
 * Connection gauges per mark from /proc/net/nf_conntrack text (NAT): TCP ESTABLISHED = active, anything else
 * (other TCP states, UDP) = inactive, as ipvsadm shows ActiveConn/InActConn.
 */
export function conntrackGauges(text: string): Map<number, { active: number; inactive: number }> {
  const out = new Map<number, { active: number; inactive: number }>();
  for (const line of text.split('\n')) {
    const m = / mark=(\d+)/.exec(line);
    const mark = m ? Number(m[1]) : 0;
    if (mark === 0) continue;
    const g = out.get(mark) ?? { active: 0, inactive: 0 };
    if (/ tcp .* ESTABLISHED /.test(line)) g.active++;
    else g.inactive++;
    out.set(mark, g);
  }
  return out;
}
