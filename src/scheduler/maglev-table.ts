import { foldAddress } from './hash.ts';
import { hsiphash32, type SipKey, sipKey } from './siphash.ts';

/**
 * The Maglev lookup table of the kernel's mh scheduler (ip_vs_mh.c; Eisenbud et al., NSDI 2016, §3.4), as a
 * pure function from the weighted server list to a table of list indices — the same input gives the same
 * table on every director.
 */

/** Table sizes the kernel offers (CONFIG_IP_VS_MH_TAB_INDEX 8..17 picks primes[index − 8]). */
export const MH_TABLE_SIZES = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071] as const;
export const MH_DEFAULT_TABLE_SIZE = 65521;

/** The kernel's fixed keys (generate_hash_secret): no randomness, so every director builds the same table. */
export const MH_KEY1: SipKey = sipKey(2654435761n, 2654435761n);
export const MH_KEY2: SipKey = sipKey(2654446892n, 2654446892n);

export interface MaglevDest {
  readonly address: string;
  readonly port: number;
  /** The kernel's `last_weight`: the latest non-zero weight (0 only if the server was added with 0). */
  readonly lastWeight: number;
}

export function isMaglevTableSize(size: number): boolean {
  return (MH_TABLE_SIZES as readonly number[]).includes(size);
}

/** IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2 for the index that yields `size`. */
export function maglevTableBits(size: number): number {
  return Math.trunc(((MH_TABLE_SIZES as readonly number[]).indexOf(size) + 8) / 2);
}

/** Kernel ip_vs_mh_hashkey: hsiphash of the u32 `offset + port + ntohl(fold(addr))`. */
export function maglevHash(address: string, port: number, key: SipKey, offset: number): number {
  return hsiphash32((offset + port + foldAddress(address)) >>> 0, key);
}

/**
 * Turns per round (ip_vs_mh_permutate): `(lastWeight / gcd) >> rshift`, or 1 when that shifts to 0 but the
 * weight is not 0. rshift = max(0, fls(maxWeight / gcd) − tableBits) keeps huge weights from starving
 * others of rounds. 0 turns = not in the table.
 */
export function maglevTurns(dests: readonly MaglevDest[], size: number): number[] {
  let g = 0;
  let max = 0;
  for (const d of dests) {
    if (d.lastWeight > 0) g = g > 0 ? gcd(d.lastWeight, g) : d.lastWeight;
    if (d.lastWeight > max) max = d.lastWeight;
  }
  if (g < 1) return dests.map(() => 0);
  const shift = Math.max(0, fls(Math.trunc(max / g)) - maglevTableBits(size));
  return dests.map((d) => {
    const t = Math.trunc(d.lastWeight / g) >>> shift;
    return t > 0 ? t : d.lastWeight !== 0 ? 1 : 0;
  });
}

/**
 * Populate (ip_vs_mh_populate): each server has a preference permutation `offset + j·skip (mod size)` with
 * offset = h1 mod size and skip = h2 mod (size − 1) + 1. Servers take turns in list order, each claiming
 * `turns` slots per round (its next free preferred slot each time), until every slot is taken. Returns list
 * indices; -1 everywhere when no server has a weight.
 */
export function buildMaglevTable(dests: readonly MaglevDest[], size = MH_DEFAULT_TABLE_SIZE): Int32Array {
  const table = new Int32Array(size).fill(-1);
  const turns = maglevTurns(dests, size);
  if (!turns.some((t) => t > 0)) return table;
  const skip = dests.map((d) => (maglevHash(d.address, d.port, MH_KEY2, 0) % (size - 1)) + 1);
  const perm = dests.map((d) => maglevHash(d.address, d.port, MH_KEY1, 0) % size);
  let filled = 0;
  for (;;) {
    for (let i = 0; i < dests.length; i++) {
      for (let turn = 0; turn < (turns[i] as number); turn++) {
        let c = perm[i] as number;
        while (table[c] !== -1) {
          c += skip[i] as number;
          if (c >= size) c -= size;
        }
        perm[i] = c;
        table[c] = i;
        if (++filled === size) return table;
      }
    }
  }
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Find last set: the 1-based position of the highest set bit, 0 for 0. */
function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}
