import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FarmTable } from '../config/diff.ts';
import { realSpec, svcSpec } from '../director/test-support.ts';
import { DEFAULT_TIMEOUTS } from '../director/timeouts.ts';
import type { StateDoc } from './state-file.ts';
import { startTable } from './state-file-merge.ts';

const CONFIG_DIGEST = '1'.repeat(64);
const OTHER_DIGEST = '2'.repeat(64);

const config: FarmTable = {
  timeouts: DEFAULT_TIMEOUTS,
  services: [{ spec: svcSpec(), reals: [realSpec(1), realSpec(2)] }],
};

/** What the API did at run time: r2 drained and weighted 5, r3 added in maintenance, a UDP service added, tcp timeout set. */
const runtime = (digest: string): StateDoc => ({
  version: 1,
  configDigest: digest,
  timeouts: { ...DEFAULT_TIMEOUTS, tcpMs: 60_000 },
  services: [
    {
      spec: svcSpec(),
      reals: [
        { ...realSpec(1), admin: 'enabled' },
        { ...realSpec(2, { weight: 5 }), admin: 'drain' },
        { ...realSpec(3), admin: 'maintenance' },
      ],
    },
    {
      spec: svcSpec({ protocol: 'udp', port: 53 }),
      reals: [{ ...realSpec(1, { port: 53 }), admin: 'drain' }],
    },
  ],
});

const cases: ReadonlyArray<{
  name: string;
  state: StateDoc | undefined;
  source: string;
  stale: boolean;
  services: string[];
  weights: number[];
  tcpMs: number;
  admin: string[];
}> = [
  {
    name: 'no state file: the config',
    state: undefined,
    source: 'config',
    stale: false,
    services: ['tcp:80'],
    weights: [1, 1],
    tcpMs: DEFAULT_TIMEOUTS.tcpMs,
    admin: [],
  },
  {
    name: 'state file made from this config: the state file wins for everything',
    state: runtime(CONFIG_DIGEST),
    source: 'state-file',
    stale: false,
    services: ['tcp:80', 'udp:53'],
    weights: [1, 5, 1],
    tcpMs: 60_000,
    admin: [
      'tcp:192.0.2.240:80 198.51.100.2:80 drain',
      'tcp:192.0.2.240:80 198.51.100.3:80 maintenance',
      'udp:192.0.2.240:53 198.51.100.1:53 drain',
    ],
  },
  {
    name: 'config edited since: the config wins; admin state kept where the config still has the real',
    state: runtime(OTHER_DIGEST),
    source: 'config',
    stale: true,
    services: ['tcp:80'],
    weights: [1, 1],
    tcpMs: DEFAULT_TIMEOUTS.tcpMs,
    admin: ['tcp:192.0.2.240:80 198.51.100.2:80 drain'],
  },
];

for (const c of cases) {
  test(`which wins at start: ${c.name}`, () => {
    const s = startTable(config, CONFIG_DIGEST, c.state);
    assert.equal(s.source, c.source);
    assert.equal(s.stale, c.stale);
    assert.deepEqual(
      s.table.services.map((x) => `${x.spec.protocol}:${x.spec.port}`),
      c.services,
    );
    assert.deepEqual(
      s.table.services[0]?.reals.map((r) => r.weight),
      c.weights,
    );
    assert.equal(s.table.timeouts.tcpMs, c.tcpMs);
    assert.deepEqual(
      s.admin.map((a) => `${a.serviceId} ${a.realId} ${a.admin}`),
      c.admin,
    );
    for (const x of s.table.services) for (const r of x.reals) assert.equal('admin' in r, false);
  });
}
