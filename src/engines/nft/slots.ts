import { BUCKET_COUNT, fillBuckets } from '../../scheduler/bucket-table.ts';
import { buildMaglevTable } from '../../scheduler/maglev-table.ts';
import { createScheduler } from '../../scheduler/registry.ts';
import type { SchedDest } from '../../scheduler/scheduler.ts';
import type { NftRealView, NftServiceView } from './nft-model.ts';

/**
 * Kernel scheduling = `<selector> mod M map @slots`: a per-service table of M slots, each naming a real
 * server's mark (0 = no server: the packet is refused). The selector is fixed by the service's shape, so a
 * weight or health change rewrites slot elements only, never a rule. Pure functions.
 *
 * - rr, wrr, fo: selector `numgen inc` (or `random`), slots = the first M picks of the director's own scheduler
 *   (rr: usable servers in list order; wrr: ip_vs_wrr's interleaved sequence; fo: the
 *   highest-weight usable server in every slot). M = sequenceSlots(N) so the
 *   sequence wraps cleanly for every usable count up to 10 (2520 = lcm 1..10) and within ±1 slot above.
 * - sh: `jhash saddr[ . sport] mod 256`, slots = ip_vs_sh's weighted bucket table; dh: `jhash daddr mod 256`,
 *   ip_vs_dh's table. The kernel's hash_32 is not available in nft: the bucket a client lands in differs from
 *   the proxy engine's, the table does not.
 * - mh: `jhash saddr[ . sport] mod M`, slots = buildMaglevTable (the proxy engine's own builder) over every
 *   server's last non-zero weight — identical on every director from the same config, and jhash with a fixed
 *   seed is identical too, so both directors send a client to the same real server.
 * A slot whose server is not eligible (down, quiescent) is empty, or with sh-fallback/mh-fallback is given
 * to the eligible servers in turn.
 */

/** The seed of every jhash selector: fixed, so all directors hash alike. "webf". */
export const JHASH_SEED = 0x77656266;

/** Slot count of the rr/wrr sequence table for N configured servers. */
export function sequenceSlots(n: number): number {
  return Math.max(2520, 4 * n);
}

/**
 * The most slots the service's table can have: fixed by its shape (scheduler, number of configured servers),
 * so it names the map's key type without a weight or health change touching the declaration.
 */
export function slotCap(svc: NftServiceView, mhTableSize: number): number {
  switch (svc.scheduler) {
    case 'sh':
    case 'dh':
      return BUCKET_COUNT;
    case 'mh':
      return mhTableSize;
    default:
      return sequenceSlots(svc.reals.length);
  }
}

/**
 * M, the slots in use. sh, dh, mh: the cap (their tables have a fixed size). The sequence schedulers use
 * exactly one period of their sequence, so a weight or health change rewrites few slots (plus the one rule
 * holding M, plan.ts "rules"): rr = the usable servers; wrr = Σ usable weights ÷ their gcd (ip_vs_wrr's
 * period), capped at slotCap (then the first slotCap picks, as before); fo = 1. At least 1 (an empty slot).
 */
export function slotCount(svc: NftServiceView, mhTableSize: number): number {
  const cap = slotCap(svc, mhTableSize);
  const usable = svc.reals.filter(eligible);
  switch (svc.scheduler) {
    case 'rr':
      return Math.max(1, usable.length);
    case 'wrr': {
      let g = 0;
      let sum = 0;
      for (const r of usable) {
        g = g > 0 ? gcd(r.weight, g) : r.weight;
        sum += r.weight;
      }
      return g > 0 ? Math.max(1, Math.min(cap, sum / g)) : 1;
    }
    case 'fo':
      return 1;
    default:
      return cap;
  }
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function eligible(r: NftRealView): boolean {
  return r.available && r.weight > 0;
}

function asDest(r: NftRealView): SchedDest {
  return {
    id: r.id,
    address: r.address,
    port: r.port,
    weight: r.weight,
    available: r.available,
    overloaded: false,
    activeConns: 0,
    inactConns: 0,
  };
}

/** Slot → real mark (0 = empty) for the service. */
export function buildSlots(svc: NftServiceView, mhTableSize: number): Uint32Array {
  const m = slotCount(svc, mhTableSize);
  const reals = svc.reals;
  switch (svc.scheduler) {
    case 'rr':
      return rrSlots(reals, m);
    case 'wrr':
    case 'fo':
      return sequenceSlotsOf(svc.scheduler, reals, m);
    case 'sh':
      return fromTable(reals, fillBuckets(reals.map(asDest), true), svc.flags.includes('sh-fallback'));
    case 'dh':
      return fromTable(reals, fillBuckets(reals.map(asDest), false), false);
    case 'mh': {
      const dests = reals.map((r) => ({ address: r.address, port: r.port, lastWeight: r.lastWeight }));
      return fromTable(reals, buildMaglevTable(dests, m), svc.flags.includes('mh-fallback'));
    }
    default:
      throw new Error(`scheduler ${svc.scheduler} has no kernel slot table`);
  }
}

function rrSlots(reals: readonly NftRealView[], m: number): Uint32Array {
  const usable = reals.filter(eligible);
  const out = new Uint32Array(m);
  if (usable.length === 0) return out;
  for (let s = 0; s < m; s++) out[s] = (usable[s % usable.length] as NftRealView).mark;
  return out;
}

function sequenceSlotsOf(name: 'wrr' | 'fo', reals: readonly NftRealView[], m: number): Uint32Array {
  const out = new Uint32Array(m);
  const dests = reals.map(asDest);
  const sched = createScheduler(name);
  sched.update(dests);
  const byId = new Map(reals.map((r) => [r.id, r.mark]));
  const flow = {
    protocol: 'tcp',
    clientAddress: '',
    clientPort: 0,
    virtualAddress: '',
    virtualPort: 0,
    nowMs: 0,
  } as const;
  for (let s = 0; s < m; s++) {
    const d = sched.pick(dests, flow);
    if (!d) return out;
    out[s] = byId.get(d.id) ?? 0;
  }
  return out;
}

/** A kernel table of list indices → marks; ineligible slots empty or, with fallback, dealt round robin. */
function fromTable(reals: readonly NftRealView[], table: Int32Array, fallback: boolean): Uint32Array {
  const out = new Uint32Array(table.length);
  const usable = reals.filter(eligible);
  let next = 0;
  for (let s = 0; s < table.length; s++) {
    const r = reals[table[s] ?? -1];
    if (r && eligible(r)) out[s] = r.mark;
    else if (fallback && usable.length > 0) out[s] = (usable[next++ % usable.length] as NftRealView).mark;
  }
  return out;
}
