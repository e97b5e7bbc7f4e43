import { isIPv4 } from 'node:net';
import type { ConfigIssue } from '../config/issue.ts';
import type { At } from './hacf-parse.ts';

/**
 * heartbeat's haresources (seed-system.md §2.7): one group per line, `node res1 res2 …`, `#` comments,
 * `\` at the end of a line continues it. A resource is `name::arg::arg` or a bare word:
 * - a dotted quad, `IPaddr::ip[/bits[/dev[/broadcast]]]` or `IPaddr2::…` → a floating address;
 * - `ldirectord` or `ldirectord::FILE` → the director's services, configured by that ldirectord.cf;
 * - anything else → an LSB script `name` with the `::` arguments.
 * Pure.
 */
export type HaResource =
  | { kind: 'ipaddr'; address: string; prefix?: number; device?: string; broadcast?: string; at: At }
  | { kind: 'ldirectord'; file: string | undefined; at: At }
  | { kind: 'script'; name: string; args: string[]; at: At };

export interface HaGroup {
  readonly node: string;
  readonly at: At;
  readonly resources: HaResource[];
}

export type HaResourcesParse = { ok: true; groups: HaGroup[] } | { ok: false; issues: ConfigIssue[] };

export function parseHaresources(text: string, file: string): HaResourcesParse {
  const groups: HaGroup[] = [];
  const issues: ConfigIssue[] = [];
  for (const entry of logicalLines(text)) {
    const [node, ...rest] = entry.words;
    if (node === undefined) continue;
    if (rest.length === 0) {
      issues.push({ file, ...node.at, message: `group of ${node.text}: no resources` });
      continue;
    }
    const resources: HaResource[] = [];
    for (const w of rest) {
      const r = resource(w.text, w.at);
      if ('error' in r) issues.push({ file, ...w.at, message: r.error });
      else resources.push(r);
    }
    groups.push({ node: node.text, at: node.at, resources });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, groups };
}

function resource(text: string, at: At): HaResource | { error: string } {
  if (isIPv4(text.split('/')[0] ?? '') && !text.includes('::')) return ipaddr(text, at);
  const [name, ...args] = text.split('::');
  if (name === 'IPaddr' || name === 'IPaddr2') {
    if (args.length !== 1) return { error: `${name}: expected ${name}::ADDRESS[/BITS[/DEVICE]]` };
    return ipaddr(args[0] as string, at);
  }
  if (name === 'ldirectord') {
    if (args.length > 1) return { error: 'ldirectord: expected ldirectord or ldirectord::CONFIG' };
    return { kind: 'ldirectord', file: args[0], at };
  }
  if (name === undefined || name === '' || !/^[A-Za-z0-9_.+-]+$/.test(name)) {
    return { error: `"${text}" is not a resource (ADDRESS, IPaddr::…, ldirectord::… or SCRIPT::ARG…)` };
  }
  return { kind: 'script', name, args, at };
}

/** `ip[/bits[/dev-or-broadcast[/broadcast]]]` (0.4.8: ip/bits/broadcast; later IPaddr: ip/bits/dev/broadcast). */
function ipaddr(spec: string, at: At): HaResource | { error: string } {
  const [address, bits, third, fourth] = spec.split('/');
  if (address === undefined || !isIPv4(address)) return { error: `"${address}" is not an IPv4 address` };
  const out: {
    kind: 'ipaddr';
    address: string;
    prefix?: number;
    device?: string;
    broadcast?: string;
    at: At;
  } = {
    kind: 'ipaddr',
    address,
    at,
  };
  if (bits !== undefined && bits !== '') {
    const n = Number(bits);
    if (!/^\d+$/.test(bits) || n > 32)
      return { error: `${address}: "/${bits}" is not a prefix length 0..32` };
    out.prefix = n;
  }
  if (third !== undefined && third !== '') {
    if (isIPv4(third)) out.broadcast = third;
    else out.device = third;
  }
  if (fourth !== undefined && fourth !== '') out.broadcast = fourth;
  return out;
}

interface Word {
  readonly text: string;
  readonly at: At;
}

/** Lines joined at a trailing `\`, comments removed, split into words with positions. */
function logicalLines(text: string): Array<{ words: Word[] }> {
  const out: Array<{ words: Word[] }> = [];
  let current: Word[] | undefined;
  text.split('\n').forEach((raw, i) => {
    const body = raw.replace(/#.*$/, '').replace(/\s+$/, '');
    const continued = body.endsWith('\\');
    const content = continued ? body.slice(0, -1) : body;
    const words: Word[] = [];
    for (const m of content.matchAll(/\S+/g))
      words.push({ text: m[0], at: { line: i + 1, col: (m.index ?? 0) + 1 } });
    current = [...(current ?? []), ...words];
    if (!continued) {
      out.push({ words: current });
      current = undefined;
    }
  });
  if (current !== undefined) out.push({ words: current });
  return out;
}
