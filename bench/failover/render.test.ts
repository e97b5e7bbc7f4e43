import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FailoverResult, renderFailover } from './render.ts';
import { distribution } from './summary.ts';

describe('failover tables', () => {
  it('one row per system and the jitter rows', () => {
    const r: FailoverResult = {
      command: 'tsx bench/failover-bench.ts --runs 3',
      startedAt: '2026-11-22T00:00:00Z',
      machine: '2 × CPU',
      timing: { webfarm: 'keepalive 100 ms', keepalived: 'advert_int 1 s' },
      runs: { webfarm: [510, 530.4, 560], keepalived: [3100, 3200] },
      failed: { webfarm: 0, keepalived: 1 },
      jitter: {
        keepaliveMs: 100,
        idle: distribution([100, 101, 99]),
        loaded: distribution([100, 120.5]),
        wrkRps: 1500.4,
        directorCpuPct: 97.2,
      },
      notes: ['a note'],
    };
    const webfarm = distribution(r.runs.webfarm ?? []);
    const keepalived = distribution(r.runs.keepalived ?? []);
    assert.ok(webfarm && keepalived);
    const md = renderFailover(r, { webfarm, keepalived });
    assert.match(md, /\| webfarm \| keepalive 100 ms \| 3 \| 530 ms \| 560 ms \| 560 ms \| 0 \|/);
    assert.match(md, /\| keepalived \| advert_int 1 s \| 2 \| 3150 ms \| 3200 ms \| 3200 ms \| 1 \|/);
    assert.match(md, /\| idle \| 3 \| 100\.0 ms \| 101\.0 ms \| 101\.0 ms \| 1\.0 ms \|/);
    assert.match(
      md,
      /max rate \(1500 req\/s, director 97% CPU\) \| 2 \| 110\.3 ms \| 120\.5 ms \| 120\.5 ms \| 20\.5 ms \|/,
    );
    assert.match(md, /- a note$/);
  });
});
