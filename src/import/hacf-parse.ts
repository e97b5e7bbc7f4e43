import type { ConfigIssue } from '../config/issue.ts';
import { closest } from '../config/suggest.ts';
import { parseBool } from './words.ts';

/**
 * heartbeat's ha.cf (seed-system.md §2.3–2.6): `directive args…` per line, `#` to the end of the line is
 * a comment. Directives with a meaning in webfarm are read into HaCf; those without are listed in
 * `ignored` with their line (docs/import.md says why for each); anything else is an error at
 * FILE:LINE:COL. Order matters as in heartbeat: `udpport` applies to the bcast/ucast lines after it.
 * Times are seconds, or milliseconds with `ms` (`500ms`, `1.5` = 1500 ms). Pure.
 */
export interface At {
  readonly line: number;
  readonly col: number;
}

export type HaMedium =
  | { type: 'bcast'; device: string; port: number }
  | { type: 'ucast'; device: string; peer: string; port: number }
  | { type: 'mcast'; device: string; group: string; port: number; ttl: number; loop: boolean }
  | { type: 'serial'; device: string };

export interface HaCf {
  readonly nodes: Array<{ name: string; at: At }>;
  readonly media: Array<{ medium: HaMedium; at: At }>;
  readonly timing: Partial<
    Record<'keepalive' | 'deadtime' | 'warntime' | 'initdead', { ms: number; at: At }>
  >;
  baud?: { value: number; at: At };
  autoFailback?: { value: boolean; at: At; note?: string };
  readonly ping: Array<{ address: string; at: At }>;
  stonith?: { command: string[]; at: At };
  /** Accepted, no meaning here: `FILE:LINE: directive: why`. */
  readonly ignored: string[];
  /** Comments for the output (how something was read). */
  readonly notes: string[];
}

export type HaCfParse = { ok: true; value: HaCf } | { ok: false; issues: ConfigIssue[] };

const IGNORED: ReadonlyMap<string, string> = new Map([
  ['logfacility', 'webfarm logs to stderr (the journal under systemd)'],
  ['logfile', 'webfarm logs to stderr (the journal under systemd)'],
  ['debugfile', 'webfarm logs to stderr; WEBFARM_DEBUG=1 for more'],
  ['use_logd', 'webfarm logs to stderr'],
  ['conn_logd_time', 'webfarm logs to stderr'],
  ['debug', 'webfarm logs to stderr; WEBFARM_DEBUG=1 for more'],
  ['deadping', 'ping nodes are judged by the same deadtime'],
  ['hopfudge', 'no serial rings: each serial medium is a point-to-point link'],
  ['watchdog', 'no watchdog device support'],
  ['realtime', 'the membership loop runs in its own worker thread instead'],
  ['rtprio', 'the membership loop runs in its own worker thread instead'],
  ['apiauth', 'no heartbeat API clients'],
  ['hbgenmethod', 'the generation is always kept in a file (cluster.generation_file)'],
  ['msgfmt', 'webfarm reads both formats and sends its own (docs/cluster-protocol.md)'],
  ['compression', 'messages are never compressed'],
  ['compression_threshold', 'messages are never compressed'],
  ['traditional_compression', 'messages are never compressed'],
  ['coredumps', 'no equivalent'],
  ['autojoin', 'nodes are listed explicitly (cluster.nodes)'],
  ['uuidfrom', 'nodes are known by name'],
  ['crm', 'no CRM/Pacemaker: haresources (v1) mode only'],
  ['pacemaker', 'no CRM/Pacemaker: haresources (v1) mode only'],
  ['ppp-udp', 'dropped by later heartbeat; use serial or ucast'],
  ['max_rexmit_delay', "retransmission timing is webfarm's own"],
  ['ping_group', 'read as ping nodes (each address votes on its own)'],
]);

const KNOWN = [
  'keepalive',
  'deadtime',
  'warntime',
  'initdead',
  'udpport',
  'baud',
  'bcast',
  'udp',
  'mcast',
  'ucast',
  'serial',
  'node',
  'auto_failback',
  'nice_failback',
  'ping',
  'ping_group',
  'respawn',
  'stonith',
  'stonith_host',
  ...IGNORED.keys(),
];

/** The stonith(8) program later heartbeat ships; webfarm runs it with the node to reset appended. */
export const STONITH_PROGRAM = '/usr/sbin/stonith';

export function parseHaCf(text: string, file: string): HaCfParse {
  const cf: HaCf = { nodes: [], media: [], timing: {}, ping: [], ignored: [], notes: [] };
  const issues: ConfigIssue[] = [];
  let udpport = 694;
  /** A bcast/ucast line was read: a later udpport does not apply to it. */
  let mediaSeen = false;
  const readLine = (raw: string, line: number): void => {
    const words = wordsOf(raw.replace(/#.*$/, ''), line);
    const [d, ...args] = words;
    if (d === undefined) return;
    const fail = (at: At, message: string) => issues.push({ file, ...at, message });
    const need = (n: number, usage: string): boolean => {
      if (args.length >= n) return true;
      fail(d.at, `${d.text}: expected "${usage}"`);
      return false;
    };
    const name = d.text;
    switch (name) {
      case 'keepalive':
      case 'deadtime':
      case 'warntime':
      case 'initdead': {
        if (!need(1, `${name} SECONDS`)) return;
        const a = args[0] as Word;
        const ms = parseTime(a.text);
        if (ms === undefined)
          return void fail(a.at, `${name}: "${a.text}" is not a time (seconds, or a number with ms)`);
        cf.timing[name] = { ms, at: a.at };
        return;
      }
      case 'udpport': {
        if (!need(1, 'udpport PORT')) return;
        const a = args[0] as Word;
        const p = Number(a.text);
        if (!/^\d+$/.test(a.text) || p < 1 || p > 65535)
          return void fail(a.at, `udpport: "${a.text}" is not a port`);
        if (mediaSeen)
          cf.notes.push(
            `${file}:${line}: udpport after media lines applies only to the lines after it (as heartbeat)`,
          );
        udpport = p;
        return;
      }
      case 'baud': {
        if (!need(1, 'baud SPEED')) return;
        const a = args[0] as Word;
        if (!/^\d+$/.test(a.text)) return void fail(a.at, `baud: "${a.text}" is not a speed`);
        cf.baud = { value: Number(a.text), at: a.at };
        return;
      }
      case 'bcast':
      case 'udp':
        if (!need(1, `${name} DEVICE…`)) return;
        mediaSeen = true;
        for (const a of args)
          cf.media.push({ medium: { type: 'bcast', device: a.text, port: udpport }, at: a.at });
        return;
      case 'ucast':
        if (!need(2, 'ucast DEVICE PEER-ADDRESS')) return;
        mediaSeen = true;
        for (const a of args.slice(1)) {
          cf.media.push({
            medium: { type: 'ucast', device: (args[0] as Word).text, peer: a.text, port: udpport },
            at: a.at,
          });
        }
        return;
      case 'mcast': {
        if (!need(5, 'mcast DEVICE GROUP PORT TTL LOOP')) return;
        const [dev, group, port, ttl, loop] = args as [Word, Word, Word, Word, Word];
        for (const w of [port, ttl, loop]) {
          if (!/^\d+$/.test(w.text)) return void fail(w.at, `mcast: "${w.text}" is not a number`);
        }
        cf.media.push({
          medium: {
            type: 'mcast',
            device: dev.text,
            group: group.text,
            port: Number(port.text),
            ttl: Number(ttl.text),
            loop: loop.text !== '0',
          },
          at: dev.at,
        });
        return;
      }
      case 'serial':
        if (!need(1, 'serial DEVICE…')) return;
        for (const a of args) cf.media.push({ medium: { type: 'serial', device: a.text }, at: a.at });
        return;
      case 'node':
        if (!need(1, 'node NAME…')) return;
        for (const a of args) cf.nodes.push({ name: a.text, at: a.at });
        return;
      case 'auto_failback':
      case 'nice_failback': {
        if (!need(1, `${name} on|off`)) return;
        const a = args[0] as Word;
        if (name === 'auto_failback' && a.text === 'legacy') {
          cf.autoFailback = {
            value: true,
            at: a.at,
            note: 'auto_failback legacy: read as on (the preferred node takes its groups back)',
          };
          return;
        }
        const b = parseBool(a.text);
        if (b === undefined) return void fail(a.at, `${name}: "${a.text}" is not on or off`);
        cf.autoFailback = { value: name === 'auto_failback' ? b : !b, at: a.at };
        return;
      }
      case 'ping':
      case 'ping_group':
        if (!need(name === 'ping' ? 1 : 2, name === 'ping' ? 'ping ADDRESS…' : 'ping_group NAME ADDRESS…'))
          return;
        if (name === 'ping_group')
          cf.ignored.push(`${file}:${line}: ping_group: ${IGNORED.get('ping_group')}`);
        for (const a of name === 'ping' ? args : args.slice(1)) cf.ping.push({ address: a.text, at: a.at });
        return;
      case 'respawn': {
        const prog = args[1]?.text ?? '';
        const why = /ipfail$/.test(prog)
          ? 'ipfail: webfarm votes with cluster.ping_nodes itself'
          : `webfarm does not run or restart other programs (${prog})`;
        cf.ignored.push(`${file}:${line}: respawn: ${why}`);
        return;
      }
      case 'stonith':
        if (!need(2, 'stonith TYPE CONFIG-FILE')) return;
        setStonith(
          cf,
          [STONITH_PROGRAM, '-t', (args[0] as Word).text, '-F', (args[1] as Word).text],
          d.at,
          file,
          line,
        );
        return;
      case 'stonith_host': {
        if (!need(2, 'stonith_host FROM-NODE|* TYPE PARAMS…')) return;
        const [from, type, ...params] = args as [Word, Word, ...Word[]];
        const cmd = [
          STONITH_PROGRAM,
          '-t',
          type.text,
          ...(params.length > 0 ? ['-p', params.map((p) => p.text).join(' ')] : []),
        ];
        if (from.text !== '*')
          cf.notes.push(
            `${file}:${line}: stonith_host for ${from.text} only: webfarm runs one STONITH command on every node`,
          );
        setStonith(cf, cmd, d.at, file, line);
        return;
      }
      default: {
        const why = IGNORED.get(name);
        if (why !== undefined) return void cf.ignored.push(`${file}:${line}: ${name}: ignored; ${why}`);
        const near = closest(name, KNOWN);
        fail(
          d.at,
          `unknown ha.cf directive "${name}"${near === undefined ? '' : ` (did you mean "${near}"?)`}`,
        );
      }
    }
  };
  for (const [i, raw] of text.split('\n').entries()) readLine(raw, i + 1);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: cf };
}

function setStonith(cf: HaCf, command: string[], at: At, file: string, line: number): void {
  if (cf.stonith)
    cf.notes.push(
      `${file}:${line}: a second STONITH device: only the first (line ${cf.stonith.at.line}) is used`,
    );
  else cf.stonith = { command, at };
}

interface Word {
  readonly text: string;
  readonly at: At;
}

function wordsOf(text: string, line: number): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ text: m[0], at: { line, col: (m.index ?? 0) + 1 } });
  return out;
}

/** heartbeat times: seconds (`2`, `1.5`) or `NNNms`; whole milliseconds. */
export function parseTime(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
  return Number.isInteger(ms) && ms > 0 ? ms : undefined;
}
