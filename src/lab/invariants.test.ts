import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeStep, stableFrom, twoOwnerTime } from './invariants.ts';
import type { OwnerSample, RunRecord, StepRecord, ViaSample } from './observations.ts';
import type { Expect } from './scenario-schema.ts';
import { formatResultTable } from './result-table.ts';

/** Samples every 100 ms from t=0 to 5000 following `owners(t)`. */
function samples(owners: (t: number) => string[]): OwnerSample[] {
  const out: OwnerSample[] = [];
  for (let t = 0; t < 5000; t += 100) out.push({ t, owners: owners(t) });
  return out;
}

function run(over: Partial<RunRecord>): RunRecord {
  return { start: 0, end: 5000, samples: [], requests: [], conns: [], steps: [], ...over };
}

const STEP: StepRecord = { name: 'kill', t: 0, before: ['dira'], target: 'dira' };
const SETTLE = 2000;

describe('judgeStep', () => {
  const failover = samples((t) => (t < 1200 ? ['dira'] : ['dirb']));
  const cases: Array<{
    name: string;
    run: RunRecord;
    expect: Expect;
    record?: StepRecord;
    /** The step's end (the next fault); default the run's end. */
    end?: number;
    pass: boolean;
    failoverMs?: number;
    split?: number;
    problem?: RegExp;
  }> = [
    {
      name: 'failover inside the bound',
      run: run({ samples: failover }),
      expect: { owner: 'other', within: 1500 },
      pass: true,
      failoverMs: 1200,
    },
    {
      name: 'failover too slow',
      run: run({ samples: failover }),
      expect: { owner: 'other', within: 1000 },
      pass: false,
      problem: /after 1200 ms > 1000 ms/,
    },
    {
      name: 'owner never reached',
      run: run({ samples: failover }),
      expect: { owner: 'dira' },
      pass: false,
      problem: /never settled on dira/,
    },
    {
      name: 'same owner kept',
      run: run({ samples: samples(() => ['dira']) }),
      expect: { owner: 'same' },
      pass: true,
    },
    {
      name: 'split brain inside settle only',
      run: run({ samples: samples((t) => (t >= 500 && t < 1000 ? ['dira', 'dirb'] : ['dira'])) }),
      expect: { owner: 'same' },
      pass: true,
      split: 500,
    },
    {
      name: 'split brain after settle',
      run: run({ samples: samples((t) => (t >= 2500 && t < 2700 ? ['dira', 'dirb'] : ['dira'])) }),
      expect: {},
      pass: false,
      split: 200,
      problem: /both held the VIP 2500 ms/,
    },
    {
      name: 'split brain over its maximum',
      run: run({ samples: samples((t) => (t >= 500 && t < 1000 ? ['dira', 'dirb'] : ['dira'])) }),
      expect: { split_brain_max: 100 },
      pass: false,
      problem: /split brain 500 ms > 100 ms/,
    },
    {
      name: 'failure inside the window',
      run: run({ requests: [{ t: 300, ms: 1000, ok: false, body: 'timeout' }] }),
      expect: {},
      pass: true,
    },
    {
      name: 'failure after the window',
      run: run({ requests: [{ t: 2300, ms: 5, ok: false, body: 'ECONNREFUSED' }] }),
      expect: {},
      pass: false,
      problem: /failed after the window \(ECONNREFUSED\)/,
    },
    {
      name: 'a failure reset by the next fault belongs to the next step',
      run: run({ end: 6000, requests: [{ t: 4900, ms: 300, ok: false, body: 'ECONNRESET' }] }),
      end: 5000,
      expect: { failed_max: 0 },
      pass: true,
    },
    {
      name: 'a failure reset by our fault while it was in flight is ours, inside the window',
      run: run({ requests: [{ t: -100, ms: 300, ok: false, body: 'ECONNRESET' }] }),
      expect: { failed_max: 0 },
      pass: false,
      problem: /1 requests failed > 0/,
    },
    {
      name: 'too many failures',
      run: run({
        requests: [
          { t: 1, ms: 5, ok: false, body: 'x' },
          { t: 2, ms: 5, ok: false, body: 'x' },
        ],
      }),
      expect: { failed_max: 1 },
      pass: false,
      problem: /2 requests failed > 1/,
    },
    {
      name: 'served by the fallback',
      run: run({
        requests: [
          { t: 100, ms: 1, ok: true, body: 'r1' },
          { t: 2500, ms: 1, ok: true, body: 'sorry' },
        ],
      }),
      expect: { served_by: ['sorry'] },
      pass: true,
    },
    {
      name: 'served by someone else',
      run: run({ requests: [{ t: 2500, ms: 1, ok: true, body: 'r1' }] }),
      expect: { served_by: ['sorry'] },
      pass: false,
      problem: /answered by "r1"/,
    },
    {
      name: 'dead server gets a connection after its bound',
      run: run({ conns: [{ t: 3000, host: 'r1', path: '/' }] }),
      expect: { no_conns_on: 'r1' },
      pass: false,
      problem: /r1 accepted a connection/,
    },
    {
      name: 'dead server connection before its bound',
      run: run({ conns: [{ t: 1000, host: 'r1', path: '/' }] }),
      expect: { no_conns_on: 'r1' },
      pass: true,
    },
    {
      name: 'bad reload rejected',
      run: run({}),
      record: { ...STEP, reloadCodes: [1] },
      expect: { reload_rejected: true },
      pass: true,
    },
    {
      name: 'bad reload accepted',
      run: run({}),
      record: { ...STEP, reloadCodes: [0] },
      expect: { reload_rejected: true },
      pass: false,
      problem: /accepted, expected rejected/,
    },
    {
      name: 'good reloads, one failed',
      run: run({}),
      record: { ...STEP, reloadCodes: [0, 1, 0] },
      expect: {},
      pass: false,
      problem: /1\/3 reloads failed/,
    },
    {
      name: 'fault not applied',
      run: run({}),
      record: { ...STEP, error: 'no such host' },
      expect: {},
      pass: false,
      problem: /fault not applied/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = judgeStep(
        c.run,
        { record: c.record ?? STEP, expect: c.expect },
        c.end ?? c.run.end,
        SETTLE,
      );
      assert.equal(got.pass, c.pass, got.problems.join('; '));
      if (c.failoverMs !== undefined) assert.equal(got.failoverMs, c.failoverMs);
      if (c.split !== undefined) assert.equal(got.splitBrainMs, c.split);
      if (c.problem)
        assert.ok(
          got.problems.some((p) => c.problem?.test(p)),
          got.problems.join('; '),
        );
    });
  }

  it('reports no failover time when the owner was to stay', () => {
    const r = run({ samples: samples(() => ['dira']) });
    assert.equal(
      judgeStep(r, { record: STEP, expect: { owner: 'same' } }, 5000, SETTLE).failoverMs,
      undefined,
    );
    assert.equal(judgeStep(r, { record: STEP, expect: { owner: 'dira' } }, 5000, SETTLE).failoverMs, 0);
  });

  it('takeover_within: another director takes the address (sharing it counts)', () => {
    const shared = run({ samples: samples((t) => (t < 1100 ? ['dira'] : ['dira', 'dirb'])) });
    const ok = judgeStep(shared, { record: STEP, expect: { takeover_within: 1500 } }, 1900, SETTLE);
    assert.equal(ok.failoverMs, 1100);
    assert.equal(ok.pass, true, ok.problems.join('; '));
    const slow = judgeStep(shared, { record: STEP, expect: { takeover_within: 1000 } }, 1900, SETTLE);
    assert.deepEqual(slow.problems, ['taken over after 1100 ms > 1000 ms']);
    const never = run({ samples: samples(() => ['dira']) });
    const none = judgeStep(never, { record: STEP, expect: { takeover_within: 1000 } }, 5000, SETTLE);
    assert.deepEqual(none.problems, ['no other director took the address']);
  });

  it('only counts the step interval', () => {
    const r = run({ requests: [{ t: 4000, ms: 1, ok: false, body: 'x' }] });
    const got = judgeStep(r, { record: STEP, expect: {} }, 3000, SETTLE);
    assert.equal(got.failed, 0);
    assert.equal(got.requests, 0);
  });
});

describe('via: which director forwarded client connections', () => {
  /** Counters every 200 ms: dira forwards 10 per interval until `switchAt`, dirb from then on. */
  function via(switchAt: number): ViaSample[] {
    const out: ViaSample[] = [];
    let a = 0;
    let b = 0;
    for (let t = 0; t < 5000; t += 200) {
      out.push({ t, conns: { dira: a, dirb: b } });
      if (t + 200 <= switchAt) a += 10;
      else b += 10;
    }
    return out;
  }
  const moved = samples((t) => (t < 1200 ? ['dira'] : ['dirb']));

  it('traffic follows the address: passes, and the step counts who forwarded', () => {
    const got = judgeStep(
      run({ samples: moved, via: via(1200) }),
      { record: STEP, expect: { owner: 'other' } },
      5000,
      SETTLE,
    );
    assert.equal(got.pass, true, got.problems.join('; '));
    assert.deepEqual(got.via, { dira: 60, dirb: 180 });
  });

  it('a director that no longer holds the address keeps forwarding after settle: fails', () => {
    const got = judgeStep(
      run({ samples: moved, via: via(3000) }),
      { record: STEP, expect: { owner: 'other' } },
      5000,
      SETTLE,
    );
    assert.equal(got.pass, false);
    assert.deepEqual(got.problems, [
      'dira forwarded 10 client connection(s) at +2000..2200 ms without holding the address',
    ]);
  });

  it('forwarding inside the settle window, or without via samples, is not judged', () => {
    const early = run({ samples: moved, via: via(1800) });
    assert.equal(judgeStep(early, { record: STEP, expect: {} }, 5000, SETTLE).pass, true);
    const none = judgeStep(run({ samples: moved }), { record: STEP, expect: {} }, 5000, SETTLE);
    assert.equal(none.pass, true);
    assert.deepEqual(none.via, {});
  });
});

describe('stableFrom / twoOwnerTime', () => {
  it('takes the first sample after the last violation', () => {
    const s = [
      { t: 0, owners: ['b'] },
      { t: 10, owners: ['a'] },
      { t: 20, owners: ['b'] },
      { t: 30, owners: ['b'] },
    ];
    assert.equal(
      stableFrom(s, (o) => o[0] === 'b'),
      20,
    );
    assert.equal(
      stableFrom(s, (o) => o[0] === 'a'),
      undefined,
    );
  });
  it('counts each two-owner sample until the next, the last until the end', () => {
    const s = [
      { t: 0, owners: ['a', 'b'] },
      { t: 10, owners: ['a'] },
      { t: 20, owners: ['a', 'b'] },
    ];
    assert.equal(twoOwnerTime(s, 50), 40);
  });
});

describe('formatResultTable', () => {
  it('prints one row per step and the problems of failing ones', () => {
    const text = formatResultTable([
      {
        name: 'kill -9 active',
        failoverMs: 1234,
        requests: 60,
        failed: 3,
        splitBrainMs: 0,
        via: { dira: 2, dirb: 50 },
        ownersAfter: ['dirb'],
        problems: [],
        pass: true,
      },
      {
        name: 'cut',
        failoverMs: undefined,
        requests: 5,
        failed: 5,
        splitBrainMs: 250,
        via: {},
        ownersAfter: [],
        problems: ['boom'],
        pass: false,
      },
    ]);
    const lines = text.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^fault\s+failover\s+failed\/requests\s+split brain\s+owner after\s+forwarded by\s+result$/,
    );
    assert.match(
      lines[1] ?? '',
      /^kill -9 active\s+1\.23 s\s+3\/60\s+0 ms\s+dirb\s+dira 2 \+ dirb 50\s+pass$/,
    );
    assert.match(lines[2] ?? '', /^cut\s+-\s+5\/5\s+250 ms\s+-\s+-\s+FAIL$/);
    assert.equal(lines[3], '    ! boom');
  });
});
