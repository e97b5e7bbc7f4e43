import { getString, type Message, message } from '../message.ts';

/**
 * What resource managers say to each other, carried as heartbeat messages (field `t` names the type; the
 * message layer adds src/seq/auth). `ip-request` and `ip-request-resp` keep heartbeat's names and fields
 * (seed-system.md §2.8: the requester asks for a group by key, the holder gives it and answers `ok=OK`);
 * the rest are ours, prefixed `wf-`:
 *
 * | t               | fields                                   | meaning                                          |
 * |-----------------|------------------------------------------|--------------------------------------------------|
 * | wf-hold         | held=K1 K2…, standby=0/1, [ping=N]       | what I hold or am taking, whether I am in standby, how many ping nodes I reach |
 * | ip-request      | ipaddr=K                                 | give me group K (failback, takeover)             |
 * | ip-request-resp | ipaddr=K, ok=OK/bad                      | K is released (OK) or could not be (bad)         |
 * | wf-released     | keys=K1 K2…                              | I released these (standby, lost ping vote): take them |
 * | starting        | (none)                                   | heartbeat's nice_failback start: "what do you hold?" |
 * | resource        | rsc_hold=none/local/foreign/all, rtype=full, isstable=0/1 | heartbeat's answer: which class of groups I hold |
 *
 * `starting` / `resource` are heartbeat 3.0.6's own (hb_resource.c, nice_failback): a heartbeat node that
 * starts while its peer is up sends `starting` and waits for the peer's `resource` before it settles; the
 * classes are relative to the sender — `local` are groups haresources lists under the sender's name,
 * `foreign` the others. webfarm answers `starting`; it does not read `resource` (docs/cluster.md).
 *
 * Group keys are haresources tokens, so they never contain whitespace; lists are space-separated.
 */
export type ManagerMessage =
  | {
      readonly kind: 'hold';
      readonly held: readonly string[];
      readonly standby: boolean;
      readonly ping: number | undefined;
    }
  | { readonly kind: 'ip-request'; readonly key: string }
  | { readonly kind: 'ip-request-resp'; readonly key: string; readonly ok: boolean }
  | { readonly kind: 'released'; readonly keys: readonly string[] }
  | { readonly kind: 'starting' }
  | { readonly kind: 'resource'; readonly hold: ResourceClass; readonly stable: boolean };

/** heartbeat's `rsc_hold` values (hb_resource.h: none, local, foreign, all). */
export type ResourceClass = 'none' | 'local' | 'foreign' | 'all';
const RESOURCE_CLASSES: readonly string[] = ['none', 'local', 'foreign', 'all'];

export const MESSAGE_TYPES = [
  'wf-hold',
  'ip-request',
  'ip-request-resp',
  'wf-released',
  'starting',
  'resource',
] as const;

export function encodeManagerMessage(m: ManagerMessage): Message {
  switch (m.kind) {
    case 'hold': {
      const pairs: [string, string][] = [
        ['t', 'wf-hold'],
        ['held', m.held.join(' ')],
        ['standby', m.standby ? '1' : '0'],
      ];
      if (m.ping !== undefined) pairs.push(['ping', String(m.ping)]);
      return message(pairs);
    }
    case 'ip-request':
      return message([
        ['t', 'ip-request'],
        ['ipaddr', m.key],
      ]);
    case 'ip-request-resp':
      return message([
        ['t', 'ip-request-resp'],
        ['ipaddr', m.key],
        ['ok', m.ok ? 'OK' : 'bad'],
      ]);
    case 'released':
      return message([
        ['t', 'wf-released'],
        ['keys', m.keys.join(' ')],
      ]);
    case 'starting':
      return message([['t', 'starting']]);
    case 'resource':
      return message([
        ['t', 'resource'],
        ['rsc_hold', m.hold],
        ['rtype', 'full'],
        ['isstable', m.stable ? '1' : '0'],
      ]);
  }
}

/** The manager message in `msg`, or undefined when it is not one (other types, missing/malformed fields). */
export function decodeManagerMessage(msg: Message): ManagerMessage | undefined {
  const t = getString(msg, 't');
  if (t === 'wf-hold') return decodeHold(msg);
  if (t === 'wf-released') {
    const keys = getString(msg, 'keys');
    return keys === undefined ? undefined : { kind: 'released', keys: list(keys) };
  }
  if (t === 'starting') return { kind: 'starting' };
  if (t === 'resource') return decodeResource(msg);
  const key = getString(msg, 'ipaddr');
  if (key === undefined || key === '' || /\s/.test(key)) return undefined;
  if (t === 'ip-request') return { kind: 'ip-request', key };
  if (t === 'ip-request-resp') return { kind: 'ip-request-resp', key, ok: getString(msg, 'ok') === 'OK' };
  return undefined;
}

function decodeHold(msg: Message): ManagerMessage | undefined {
  const held = getString(msg, 'held');
  const standby = getString(msg, 'standby');
  const ping = getString(msg, 'ping');
  if (held === undefined || (standby !== '0' && standby !== '1')) return undefined;
  if (ping !== undefined && !/^\d{1,6}$/.test(ping)) return undefined;
  return {
    kind: 'hold',
    held: list(held),
    standby: standby === '1',
    ping: ping === undefined ? undefined : Number(ping),
  };
}

function decodeResource(msg: Message): ManagerMessage | undefined {
  const hold = getString(msg, 'rsc_hold');
  const stable = getString(msg, 'isstable');
  if (hold === undefined || !RESOURCE_CLASSES.includes(hold)) return undefined;
  return { kind: 'resource', hold: hold as ResourceClass, stable: stable === '1' };
}

function list(s: string): string[] {
  return s.split(' ').filter((k) => k !== '');
}
