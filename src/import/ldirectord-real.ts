import { parseRealTarget } from './ldirectord-address.ts';
import { splitWords, type Word } from './words.ts';

/**
 * One `real=` (or `real6=`) value (seed-system.md §3.4):
 *
 *   ip[-lastip]:port  gate|masq|ipip  [weight]  ["request"[,] "receive"]  ["<l:N>"] ["<u:N>"]
 *
 * The thresholds (`<l:N>` lower, `<u:N>` upper → ipvsadm -y/-x) may be quoted or not and come in any
 * order after the weight; the other quoted words are the per-real request, then receive. Errors carry
 * the column of the offending word. Pure.
 */
export type Forward = 'gate' | 'masq' | 'ipip';

export interface LdReal {
  readonly addresses: readonly string[];
  readonly port?: number;
  readonly forward: Forward;
  readonly weight?: number;
  readonly request?: string;
  readonly receive?: string;
  readonly lower?: number;
  readonly upper?: number;
}

export type RealParse = { ok: true; value: LdReal } | { ok: false; col: number; error: string };

const FORWARDS: readonly string[] = ['gate', 'masq', 'ipip'];

export function parseReal(value: string, col0: number, family: 4 | 6): RealParse {
  const split = splitWords(value, col0);
  if (!split.ok) return { ok: false, col: split.col, error: split.message };
  const words = split.words.filter((w) => w.quoted || w.text !== ',');
  const [target, fwd, ...rest] = words;
  if (target === undefined) return { ok: false, col: col0, error: 'real: missing ADDRESS:PORT' };
  const t = parseRealTarget(target.text.replace(/,$/, ''), family);
  if (!t.ok) return { ok: false, col: target.col, error: `real: ${t.error}` };
  if (fwd === undefined || !FORWARDS.includes(fwd.text)) {
    const got = fwd === undefined ? 'nothing' : `"${fwd.text}"`;
    return { ok: false, col: fwd?.col ?? target.col, error: `real: expected gate, masq or ipip, got ${got}` };
  }
  const extra = parseExtras(rest);
  if (!extra.ok) return extra;
  return {
    ok: true,
    value: {
      addresses: t.value.addresses,
      forward: fwd.text as Forward,
      ...portOf(t.value.port),
      ...extra.value,
    },
  };
}

function portOf(port: number | undefined): { port?: number } {
  return port === undefined ? {} : { port };
}

type Extras = Pick<LdReal, 'weight' | 'request' | 'receive' | 'lower' | 'upper'>;

function parseExtras(
  words: readonly Word[],
): { ok: true; value: Extras } | { ok: false; col: number; error: string } {
  const out: { -readonly [K in keyof Extras]: Extras[K] } = {};
  const texts: string[] = [];
  for (const [i, w] of words.entries()) {
    const text = w.quoted ? w.text : w.text.replace(/,$/, '');
    const th = /^<([lu]):(\d+)>$/.exec(text);
    if (th) {
      out[th[1] === 'l' ? 'lower' : 'upper'] = Number(th[2]);
    } else if (i === 0 && !w.quoted && /^\d+$/.test(text)) {
      const weight = Number(text);
      if (weight > 65535)
        return { ok: false, col: w.col, error: `real: weight ${weight} is out of range 0..65535` };
      out.weight = weight;
    } else if (w.quoted) {
      texts.push(text);
    } else {
      return {
        ok: false,
        col: w.col,
        error: `real: unexpected "${w.text}" (request and receive must be quoted)`,
      };
    }
    if (texts.length > 2)
      return { ok: false, col: w.col, error: 'real: more than a request and a receive string' };
  }
  if (texts[0] !== undefined) out.request = texts[0];
  if (texts[1] !== undefined) out.receive = texts[1];
  return { ok: true, value: out };
}
