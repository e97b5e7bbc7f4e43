import { F, formatHex, isNoSeqType, msgType, T } from '../message-fields.ts';
import { type Message, message, withField } from '../message.ts';

/**
 * What a sender adds to every outbound message (seed-system.md §2.2, heartbeat's `add_msg_auth` callers):
 * `src`, `seq` (hex, counter from 1; not on `NS_` types), `hg` (hex generation), `ts` (hex wall-clock
 * seconds), `ld` (load average; not on `NS_` types), `ttl` (node count + hopfudge). `auth` is added when
 * the packet is sealed (packet.ts). Pure.
 */

export interface OutboundContext {
  readonly src: string;
  readonly generation: number;
  /** Wall clock, ms since the epoch. */
  readonly wallNow: number;
  readonly ttl: number;
  /** The `ld` text, e.g. `0.05 0.30 0.74 1/90 24724` or os.loadavg() joined. */
  readonly load: string;
}

/** Stamp `m`; `seq` is used only for sequenced types (undefined for `NS_` types). */
export function stamp(m: Message, seq: number | undefined, c: OutboundContext): Message {
  const noSeq = isNoSeqType(msgType(m) ?? '');
  let out = withField(m, F.src, c.src);
  if (!noSeq && seq !== undefined) out = withField(out, F.seq, formatHex(seq));
  out = withField(out, F.generation, formatHex(c.generation));
  out = withField(out, F.ts, formatHex(Math.floor(c.wallNow / 1000)));
  if (!noSeq) out = withField(out, F.load, c.load);
  return withField(out, F.ttl, String(c.ttl));
}

/** The status heartbeat body, as heartbeat 3.0.6 sends it: `t=status st=… dt=<deadtime hex ms> protocol=1`. */
export function statusMessage(status: 'up' | 'active', deadtimeMs: number): Message {
  return message([
    [F.type, T.status],
    [F.status, status],
    [F.deadtime, formatHex(deadtimeMs)],
    [F.protocol, '1'],
  ]);
}
