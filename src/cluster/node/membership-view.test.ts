import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Message, message } from '../message.ts';
import type { ClusterEvent, ClusterListener } from './cluster-event.ts';
import { membershipView } from './membership-view.ts';

test('membership view: membership events and messages split apart; sends pass through', () => {
  const listeners = new Set<ClusterListener>();
  const sent: Message[] = [];
  const source = {
    on: (l: ClusterListener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    send: (m: Message) => sent.push(m),
  };
  const v = membershipView(source, 'Alpha', ['alpha', 'BETA']);
  assert.equal(v.self, 'alpha');
  assert.deepEqual(v.peers(), ['beta']);
  const events: string[] = [];
  const msgs: string[] = [];
  const off = v.onEvent((e) => events.push(e.kind));
  v.onMessage((from, m) => msgs.push(`${from}:${m.fields[0]?.value as string}`));
  const m = message([['t', 'ip-request']]);
  const feed: ClusterEvent[] = [
    { kind: 'peer-up', peer: 'beta', link: 'l', reason: 'first-heartbeat', at: 1, wallAt: 1 },
    { kind: 'rejected', reason: 'bad-digest', link: 'l', sender: 'x', detail: 'd', at: 2, wallAt: 2 },
    { kind: 'message', peer: 'beta', link: 'l', message: m, at: 3, wallAt: 3 },
    { kind: 'peer-dead', peer: 'beta', silentMs: 600, reason: 'timeout', at: 4, wallAt: 4 },
  ];
  for (const e of feed) for (const l of listeners) l(e);
  assert.deepEqual(events, ['peer-up', 'peer-dead']);
  assert.deepEqual(msgs, ['beta:ip-request']);
  v.send(m);
  assert.deepEqual(sent, [m]);
  off();
  assert.equal(listeners.size, 1);
});
