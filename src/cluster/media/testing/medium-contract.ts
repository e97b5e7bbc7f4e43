import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Medium } from '../medium.ts';

/**
 * The contract every medium keeps, as node:test cases registered by `mediumContract`: a round trip in both
 * directions, garbage on the wire crashes nothing and the next good packet still arrives, and close
 * releases the socket or tty (checked by the pair's own `assertReleased`). Packets are classic-form text,
 * which every medium carries. Waits are bounded; UDP sends are repeated until seen (datagrams may drop).
 */

export interface MediumPair {
  readonly a: Medium;
  readonly b: Medium;
  /** After both are closed: fail unless their sockets/ttys are free again. */
  assertReleased(): Promise<void>;
  /** Tear down what the pair set up (peers, processes); called even when a case fails. */
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** Skip every case, with this reason (no socat, not root…). */
  readonly skip?: string | false;
}

export function mediumContract(
  label: string,
  makePair: () => Promise<MediumPair>,
  o: ContractOptions = {},
): void {
  const skip = o.skip === undefined ? false : o.skip;
  test(`${label}: round trip both ways, status up`, { skip }, async () => {
    const p = await makePair();
    try {
      assert.equal(p.a.status, 'up');
      assert.equal(p.b.status, 'up');
      await roundTrip(p.a, p.b, frame('a-to-b'));
      await roundTrip(p.b, p.a, frame('b-to-a'));
    } finally {
      await p.dispose();
    }
  });

  test(`${label}: garbage does not crash it and the next packet arrives`, { skip }, async () => {
    const p = await makePair();
    try {
      const garbage = [
        randomBytes(700),
        Buffer.from('>>>\nno end\n\0\xff\r\r'),
        Buffer.from('<<<\n'),
        Buffer.alloc(0),
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        Buffer.from(`>>>\n${'x'.repeat(9000)}\n<<<\n`),
      ];
      for (const g of garbage) p.a.send(g);
      await roundTrip(p.a, p.b, frame('after-garbage'));
      assert.notEqual(p.b.status, 'closed');
    } finally {
      await p.dispose();
    }
  });

  test(`${label}: close releases resources; send after close is a no-op`, { skip }, async () => {
    const p = await makePair();
    try {
      const late: Uint8Array[] = [];
      await p.a.close();
      await p.b.close();
      await p.a.close(); // idempotent
      p.b.onReceive((bytes) => late.push(bytes));
      assert.equal(p.a.status, 'closed');
      assert.equal(p.b.status, 'closed');
      p.a.send(frame('after-close'));
      await p.assertReleased();
      assert.deepEqual(late, []);
    } finally {
      await p.dispose();
    }
  });
}

export function frame(tag: string): Uint8Array {
  return new Uint8Array(Buffer.from(`>>>\nt=contract\ntag=${tag}\n<<<\n`, 'latin1'));
}

/** Send `bytes` from `a` (every 100 ms until seen) and wait until `b` delivers exactly those bytes. */
export async function roundTrip(a: Medium, b: Medium, bytes: Uint8Array, ms = 5000): Promise<void> {
  const want = Buffer.from(bytes);
  let timer: NodeJS.Timeout | undefined;
  let resend: NodeJS.Timeout | undefined;
  let off = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      off = b.onReceive((got) => {
        if (want.equals(got)) resolve();
      });
      timer = setTimeout(() => reject(new Error(`${b.name} did not receive ${want.toString('latin1')}`)), ms);
      a.send(bytes);
      resend = setInterval(() => a.send(bytes), 100);
    });
  } finally {
    off();
    clearTimeout(timer);
    clearInterval(resend);
  }
}
