import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ProbeFactory, ProbeSettings } from '../../../src/health/probe.ts';
import { until } from '../net.ts';
import { closingPeer, hangingPeer } from './misbehaving-peer.ts';
import { reasonOf, runProbe, withPeer } from './run-probe.ts';

/**
 * The two cases every probe that speaks first is tested with, as `it`s in the caller's describe block:
 * a peer that accepts and never answers (down at the abort, the probe's socket released) and a peer that
 * closes at once (down with `closedReason`).
 */
export function hangAndCloseCases(
  factory: ProbeFactory,
  o: { readonly stage: string; readonly closedReason: RegExp; readonly settings?: ProbeSettings },
): void {
  it(`a peer that accepts and never answers ${o.stage}: down at the abort, socket released`, () =>
    withPeer(hangingPeer(), async (peer) => {
      assert.match(reasonOf(await runProbe(factory, peer.port, o.settings, 200)), /aborted/);
      await until(() => peer.accepted() === 1 && peer.open() === 0, 'the probe to release its socket');
    }));

  it(`a peer that closes ${o.stage}: down`, () =>
    withPeer(closingPeer(), async (peer) => {
      assert.match(reasonOf(await runProbe(factory, peer.port, o.settings)), o.closedReason);
    }));
}
