import { F, msgType } from './message-fields.ts';
import { getString, type Message, message } from './message.ts';

/**
 * heartbeat 3.0.x's node-list exchange (`HBDoMsg_T_REQNODES` / `T_REPNODES`, seen on the wire from 3.0.6):
 * a starting node sends `t=reqnodes dest=PEER` to the first node it hears, once a second, until PEER answers
 * `t=repnodes dest=REQUESTER nodelist="a b " delnodelist=" "` (every configured node name followed by a
 * space; no deleted nodes is a single space). Until answered, a 3.0.6 node never declares its
 * communications up, so it never reaches `active` nor acquires its resources. Pure.
 */

export const REQNODES = 'reqnodes';
export const REPNODES = 'repnodes';

/** The requester, when `m` is a reqnodes addressed to `local` (names compared lower-cased); else undefined. */
export function nodeListRequester(m: Message, local: string): string | undefined {
  if (msgType(m) !== REQNODES) return undefined;
  const dest = getString(m, F.dest);
  const src = getString(m, F.src);
  if (dest === undefined || src === undefined || dest.toLowerCase() !== local.toLowerCase()) return undefined;
  return src;
}

/** The repnodes answer to `requester`, listing `nodes` as heartbeat does (field order as 3.0.6 sends). */
export function nodeListReply(requester: string, nodes: readonly string[]): Message {
  return message([
    [F.dest, requester],
    [F.type, REPNODES],
    ['nodelist', nodes.map((n) => `${n} `).join('')],
    ['delnodelist', ' '],
  ]);
}
