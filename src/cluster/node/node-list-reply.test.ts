import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../platform/fake-clock.ts';
import type { Medium, ReceiveListener, StatusListener } from '../media/medium.ts';
import { getString, message } from '../message.ts';
import { decodePacket, sealPacket } from '../packet.ts';
import { HeartbeatNode } from './heartbeat-node.ts';
import { stamp } from './outbound.ts';
import { TEST_KEYS } from './testing/event-log.ts';

/** A medium that records what is sent and lets the test deliver packets. */
class Wire implements Medium {
  readonly name = 'bcast eth0';
  readonly formats = 'any' as const;
  readonly status = 'up' as const;
  readonly sent: Uint8Array[] = [];
  #rx: ReceiveListener | undefined;
  send(bytes: Uint8Array): void {
    this.sent.push(bytes);
  }
  onReceive(l: ReceiveListener): () => void {
    this.#rx = l;
    return () => {};
  }
  onStatus(_l: StatusListener): () => void {
    return () => {};
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  deliver(bytes: Uint8Array): void {
    this.#rx?.(bytes, '192.0.2.4:694');
  }
}

function reqnodes(dest: string, seq: number): Uint8Array {
  const m = stamp(
    message([
      ['t', 'reqnodes'],
      ['dest', dest],
    ]),
    seq,
    { src: 'hba', generation: 7, wallNow: 1_000_000, ttl: 3, load: '0.00' },
  );
  const r = sealPacket(m, 'netstring', TEST_KEYS);
  assert.ok(r.ok);
  return r.bytes;
}

test('node: a heartbeat 3.0.x reqnodes for us is answered with repnodes; one for another node is not', () => {
  const wire = new Wire();
  const node = new HeartbeatNode(
    { localNode: 'wf', nodes: ['hbA', 'wf'], keys: TEST_KEYS, generation: 1 },
    { clock: new FakeClock(), media: [wire] },
  );
  node.start();
  try {
    const types = () =>
      wire.sent.map((b) => {
        const d = decodePacket(b);
        assert.ok(d.ok);
        return d.value.message;
      });
    wire.deliver(reqnodes('hbb', 1));
    assert.equal(types().filter((m) => getString(m, 't') === 'repnodes').length, 0);
    wire.deliver(reqnodes('wf', 2));
    const replies = types().filter((m) => getString(m, 't') === 'repnodes');
    assert.equal(replies.length, 1);
    const r = replies[0];
    assert.ok(r);
    assert.equal(getString(r, 'dest'), 'hba');
    assert.equal(getString(r, 'src'), 'wf');
    assert.equal(getString(r, 'nodelist'), 'hba wf ');
    assert.equal(getString(r, 'delnodelist'), ' ');
    assert.ok(getString(r, 'seq') !== undefined, 'sequenced, as heartbeat sends it');
  } finally {
    void node.close();
  }
});
