import { getBinary, getString, type Message } from './message.ts';

/**
 * Heartbeat's standard field names (0.4.8 `ha_msg.h`, plus the 3.0.x additions seen on the wire:
 * `srcuuid`, `destuuid`, `dt`, `protocol`, `ackseq`). Encodings of the values:
 * - hex (`%lx`, lowercase, no prefix): seq, hg, ts, dt, ackseq; `firstseq` of NS_nak_rexmit
 * - decimal: ttl, protocol; `firstseq`/`lastseq` of NS_rexmit (heartbeat writes `%lu` and reads `atoi`)
 * - binary (type 1, 16 raw bytes): srcuuid, destuuid
 */
export const F = {
  type: 't',
  src: 'src',
  srcuuid: 'srcuuid',
  node: 'node',
  dest: 'dest',
  destuuid: 'destuuid',
  status: 'st',
  ts: 'ts',
  seq: 'seq',
  load: 'ld',
  info: 'info',
  ttl: 'ttl',
  auth: 'auth',
  generation: 'hg',
  deadtime: 'dt',
  protocol: 'protocol',
  ackseq: 'ackseq',
  firstseq: 'firstseq',
  lastseq: 'lastseq',
  resources: 'rsc_hold',
  isstable: 'isstable',
  ifname: 'ifname',
} as const;

/** Message types (`t`). Types starting with `NS_` carry no sequence number. */
export const T = {
  status: 'status',
  ifstat: 'ifstat',
  starting: 'starting',
  resource: 'resource',
  shutdone: 'shutdone',
  stonith: 'stonith',
  rexmit: 'NS_rexmit',
  nakRexmit: 'NS_nak_rexmit',
  nsStatus: 'NS_st',
  ackmsg: 'NS_ackmsg',
} as const;

export const NOSEQ_PREFIX = 'NS_';

/** Largest number a field may carry: seq/gen/ts beyond 2^53 cannot be held exactly and are refused. */
const HEX_RE = /^[0-9a-fA-F]{1,13}$/;
const DEC_RE = /^[0-9]{1,15}$/;

/** Strict `%lx` parse: 1–13 hex digits, nothing else (heartbeat's sscanf is laxer; it always writes this form). */
export function parseHex(s: string | undefined): number | undefined {
  return s !== undefined && HEX_RE.test(s) ? Number.parseInt(s, 16) : undefined;
}

/** Strict decimal parse: 1–15 digits. */
export function parseDec(s: string | undefined): number | undefined {
  return s !== undefined && DEC_RE.test(s) ? Number.parseInt(s, 10) : undefined;
}

/** `%lx`: lowercase hex without prefix or padding. */
export function formatHex(n: number): string {
  return n.toString(16);
}

export function isNoSeqType(type: string): boolean {
  return type.startsWith(NOSEQ_PREFIX);
}

// Typed accessors. `undefined` means absent, of the wrong field type, or not in the field's number form.
export const msgType = (m: Message): string | undefined => getString(m, F.type);
export const msgSrc = (m: Message): string | undefined => getString(m, F.src);
export const msgDest = (m: Message): string | undefined => getString(m, F.dest);
export const msgSrcUuid = (m: Message): Uint8Array | undefined => getBinary(m, F.srcuuid);
export const msgDestUuid = (m: Message): Uint8Array | undefined => getBinary(m, F.destuuid);
export const msgStatus = (m: Message): string | undefined => getString(m, F.status);
export const msgLoad = (m: Message): string | undefined => getString(m, F.load);
export const msgInfo = (m: Message): string | undefined => getString(m, F.info);
export const msgAuth = (m: Message): string | undefined => getString(m, F.auth);
export const msgSeq = (m: Message): number | undefined => parseHex(getString(m, F.seq));
export const msgGeneration = (m: Message): number | undefined => parseHex(getString(m, F.generation));
/** `ts`: the sender's wall clock, seconds since the epoch, hex. */
export const msgTimestamp = (m: Message): number | undefined => parseHex(getString(m, F.ts));
/** `dt`: the sender's deadtime in milliseconds, hex (3.0.x). */
export const msgDeadtimeMs = (m: Message): number | undefined => parseHex(getString(m, F.deadtime));
export const msgAckSeq = (m: Message): number | undefined => parseHex(getString(m, F.ackseq));
export const msgTtl = (m: Message): number | undefined => parseDec(getString(m, F.ttl));
export const msgProtocol = (m: Message): number | undefined => parseDec(getString(m, F.protocol));
