/**
 * nft counters → director Stats. Counter names (render.ts): `r<mark>_new` (packets = new connections),
 * `r<mark>_in` (client → real server), `r<mark>_out` (real server → client, NAT only: in DR the replies never
 * reach the director), `s<n>_drop` (packets refused: no usable real server). Values are IP packets and
 * bytes including headers. Pure helpers; the engine reads, diffs and adds.
 */
export interface CounterValue {
  readonly packets: number;
  readonly bytes: number;
}

/** name → value from `nft -j list counters table …` objects. */
export function parseCounters(objects: ReadonlyArray<Record<string, unknown>>): Map<string, CounterValue> {
  const out = new Map<string, CounterValue>();
  for (const o of objects) {
    const c = o.counter as { name?: string; packets?: number; bytes?: number } | undefined;
    if (c?.name !== undefined) out.set(c.name, { packets: c.packets ?? 0, bytes: c.bytes ?? 0 });
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
