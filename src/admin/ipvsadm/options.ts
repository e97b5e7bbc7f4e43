/**
 * ipvsadm 1.31's option table and a tokenizer with popt's rules: short options cluster (`-Ln`), a short
 * option's argument may follow in the same word (`-p600`) or the next word; long options take `=value` or
 * the next word; an optional argument (`-p`, `--persistent`) is taken from the next word only when that
 * word does not start with '-'; a required one always takes the next word; `--` ends the options; other
 * words are positional (popt permutes, so they may appear anywhere).
 */
export type ArgKind = 'none' | 'required' | 'optional';

export interface OptionSpec {
  /** Stable key the parser switches on (the short letter when there is one). */
  readonly key: string;
  readonly short?: string;
  readonly long?: string;
  readonly arg: ArgKind;
}

const o = (key: string, short: string | undefined, long: string | undefined, arg: ArgKind): OptionSpec =>
  short === undefined
    ? long === undefined
      ? { key, arg }
      : { key, long, arg }
    : long === undefined
      ? { key, short, arg }
      : { key, short, long, arg };

/** Every option of ipvsadm 1.31 (popt table order). */
export const OPTIONS: readonly OptionSpec[] = [
  o('A', 'A', 'add-service', 'none'),
  o('E', 'E', 'edit-service', 'none'),
  o('D', 'D', 'delete-service', 'none'),
  o('C', 'C', 'clear', 'none'),
  o('L', 'L', 'list', 'none'),
  o('L', 'l', undefined, 'none'),
  o('Z', 'Z', 'zero', 'none'),
  o('a', 'a', 'add-server', 'none'),
  o('e', 'e', 'edit-server', 'none'),
  o('d', 'd', 'delete-server', 'none'),
  o('set', undefined, 'set', 'none'),
  o('h', 'h', 'help', 'none'),
  o('v', 'v', 'version', 'none'),
  o('R', 'R', 'restore', 'none'),
  o('S', 'S', 'save', 'none'),
  o('start-daemon', undefined, 'start-daemon', 'required'),
  o('stop-daemon', undefined, 'stop-daemon', 'required'),
  o('t', 't', 'tcp-service', 'required'),
  o('u', 'u', 'udp-service', 'required'),
  o('sctp', undefined, 'sctp-service', 'required'),
  o('f', 'f', 'fwmark-service', 'required'),
  o('s', 's', 'scheduler', 'required'),
  o('p', 'p', 'persistent', 'optional'),
  o('M', 'M', 'netmask', 'required'),
  o('r', 'r', 'real-server', 'required'),
  o('m', 'm', 'masquerading', 'none'),
  o('i', 'i', 'ipip', 'none'),
  o('g', 'g', 'gatewaying', 'none'),
  o('w', 'w', 'weight', 'required'),
  o('x', 'x', 'u-threshold', 'required'),
  o('y', 'y', 'l-threshold', 'required'),
  o('n', 'n', 'numeric', 'none'),
  o('c', 'c', 'connection', 'none'),
  o('mcast-interface', undefined, 'mcast-interface', 'required'),
  o('syncid', undefined, 'syncid', 'required'),
  o('timeout', undefined, 'timeout', 'none'),
  o('daemon', undefined, 'daemon', 'none'),
  o('stats', undefined, 'stats', 'none'),
  o('rate', undefined, 'rate', 'none'),
  o('thresholds', undefined, 'thresholds', 'none'),
  o('persistent-conn', undefined, 'persistent-conn', 'none'),
  o('nosort', undefined, 'nosort', 'none'),
  o('sort', undefined, 'sort', 'none'),
  o('X', 'X', 'exact', 'none'),
  o('6', '6', 'ipv6', 'none'),
  o('o', 'o', 'ops', 'none'),
  o('pe', undefined, 'pe', 'required'),
  o('b', 'b', 'sched-flags', 'required'),
  o('mcast-group', undefined, 'mcast-group', 'required'),
  o('mcast-port', undefined, 'mcast-port', 'required'),
  o('mcast-ttl', undefined, 'mcast-ttl', 'required'),
  o('sync-maxlen', undefined, 'sync-maxlen', 'required'),
  o('tun-info', undefined, 'tun-info', 'none'),
  o('tun-type', undefined, 'tun-type', 'required'),
  o('tun-port', undefined, 'tun-port', 'required'),
  o('tun-nocsum', undefined, 'tun-nocsum', 'none'),
  o('tun-csum', undefined, 'tun-csum', 'none'),
  o('tun-remcsum', undefined, 'tun-remcsum', 'none'),
];

/** One option occurrence: `text` is the command-line word it came from (popt's poptBadOption). */
export interface OptionItem {
  readonly key: string;
  readonly value: string | undefined;
  readonly text: string;
}

/** popt's error texts (poptStrerror) for the failures the tokenizer can meet. */
export type TokenError = { readonly text: string; readonly reason: string };

export interface Tokens {
  /** Options in command-line order, up to the first error. */
  readonly items: readonly OptionItem[];
  readonly positionals: readonly string[];
  readonly error: TokenError | undefined;
}

const byShort = new Map(OPTIONS.filter((s) => s.short).map((s) => [s.short as string, s]));
const byLong = new Map(OPTIONS.filter((s) => s.long).map((s) => [s.long as string, s]));

export function tokenize(argv: readonly string[]): Tokens {
  const items: OptionItem[] = [];
  const positionals: string[] = [];
  let i = 0;
  const fail = (text: string, reason: string): Tokens => ({ items, positionals, error: { text, reason } });
  while (i < argv.length) {
    const word = argv[i++] as string;
    if (word === '--') {
      positionals.push(...argv.slice(i));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) return fail(word, 'unknown option');
      let value: string | undefined = eq === -1 ? undefined : word.slice(eq + 1);
      if (spec.arg === 'none' && value !== undefined) return fail(word, 'option does not take an argument');
      if (value === undefined && spec.arg !== 'none') {
        const next = argv[i];
        if (spec.arg === 'required' && next === undefined) return fail(word, 'missing argument');
        if (next !== undefined && (spec.arg === 'required' || !next.startsWith('-'))) {
          value = next;
          i++;
        }
      }
      items.push({ key: spec.key, value, text: word });
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const spec = byShort.get(word[j] as string);
        if (!spec) return fail(word, 'unknown option');
        if (spec.arg === 'none') {
          items.push({ key: spec.key, value: undefined, text: word });
          continue;
        }
        let value: string | undefined = word.slice(j + 1) || undefined;
        if (value === undefined) {
          const next = argv[i];
          if (spec.arg === 'required' && next === undefined) return fail(word, 'missing argument');
          if (next !== undefined && (spec.arg === 'required' || !next.startsWith('-'))) {
            value = next;
            i++;
          }
        }
        items.push({ key: spec.key, value, text: word });
        break;
      }
      continue;
    }
    positionals.push(word);
  }
  return { items, positionals, error: undefined };
}
