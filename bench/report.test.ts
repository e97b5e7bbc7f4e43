// Unit tests of the report's load verdict, nft targets and control-plane table (part of `npm test`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS } from './args.ts';
import { type ControlResult, controlTable, parseControlOutput } from './control.ts';
import { type LoadPoint, loadPoint, loadVerdict } from './machine.ts';
import { renderResults, targetLines } from './report.ts';
import type { BenchResult } from './result.ts';

const at = (label: string, l1: number): LoadPoint => loadPoint(label, new Date(0), [l1, 1, 1]);

test('load verdict: quiet at the start and nobody else during the run (the bench itself loads ~nproc)', () => {
  const quiet = loadVerdict([at('start', 0.3), at('round 1', 1.9), at('end', 2.8)], 2);
  assert.equal(quiet.busy, false);
  assert.match(
    quiet.text,
    /^Quiet machine: 1-minute load average 0\.3 at the start, 0\.3–2\.8 during the run on 2 CPUs/,
  );
  const busyDuring = loadVerdict([at('start', 0.5), at('round 2', 3.7)], 2);
  assert.equal(busyDuring.busy, true);
  assert.match(
    busyDuring.text,
    /^\*\*Busy machine\*\*: 1-minute load average 0\.5 at the start, 0\.5–3\.7 .* do not judge targets/,
  );
  assert.equal(loadVerdict([at('start', 1.2), at('end', 1.5)], 2).busy, true, 'busy before the run');
  assert.equal(loadVerdict([], 2).busy, true, 'no record is no evidence of quiet');
});

function result(l1: number): BenchResult {
  return {
    startedAt: 'a',
    finishedAt: 'b',
    options: { ...DEFAULTS, paths: ['direct', 'haproxy', 'nft-nat', 'nft-dr'], rounds: 1 },
    machine: { nproc: 2, cpuModel: 'cpu', kernel: 'k', node: 'v20', loadBefore: [l1, 1, 1], tools: {} },
    loadAfter: [l1, 1, 1],
    loads: [at('start', l1)],
    series: {
      keepalive: {
        direct: { samples: [{ value: 100 }] },
        haproxy: { samples: [{ value: 50 }] },
        'nft-nat': { samples: [{ value: 96 }] },
        'nft-dr': { samples: [{ value: 90 }] },
      },
      close: { direct: { samples: [{ value: 10 }] }, 'nft-nat': { samples: [{ value: 9 }] } },
    },
    commands: {},
    notes: [],
  };
}

test('nft targets: ÷ direct against 0.95, flagged on a busy machine', () => {
  assert.deepEqual(targetLines(result(0.2)), [
    '- nft-nat ÷ direct, target ≥ 0.95×: HTTP keep-alive 0.96× (met), HTTP connection per request 0.90× (missed)',
    '- nft-dr ÷ direct, target ≥ 0.95×: HTTP keep-alive 0.90× (missed)',
  ]);
  assert.match(targetLines(result(4))[0] ?? '', /busy machine, not a verdict$/);
});

const cp: ControlResult = {
  services: 100,
  reals: 1000,
  scheduler: 'wrr',
  applyMs: 24_096.6,
  applyBytes: 40_366_476,
  changeMs: [32_009, 36_838, 27_480],
  plans: ['rules'],
  batchBytes: 15_965,
  maxRssMiB: 736.7,
  errors: [],
};

test('control plane: result line parsed, table rows for results, misses and Maglev builds', () => {
  assert.deepEqual(parseControlOutput(`applying\napplied in 1 ms\n${JSON.stringify(cp)}\n`), cp);
  assert.throws(() => parseControlOutput('applying 100 × 1000 (wrr)\n'), /no result/);
  const t = controlTable(
    [
      { ok: true, result: cp },
      {
        ok: false,
        miss: {
          size: { services: 100, reals: 1000, scheduler: 'mh' },
          reason: 'did not finish within 600 s',
        },
      },
    ],
    [{ n: 1000, m: 65537, ms: 57.2 }],
  );
  assert.match(
    t,
    /\| 100 × 1,000 \(100,000 real servers\), wrr \| 24\.1 s \(38\.5 MiB script\) \| 32\.0 s \[27\.5 s–36\.8 s\], 3 \| rules, 15\.6 KiB \| 737 MiB \|/,
  );
  assert.match(
    t,
    /\| 100 × 1,000 \(100,000 real servers\), mh \| not measured: did not finish within 600 s \|/,
  );
  assert.match(t, /\| Maglev table build, N = 1,000, M = 65,537 \(pure, median of 5\) \| 57\.2 ms \|/);
});

test('rendered results lead with the load verdict and carry the control table', () => {
  const r = { ...result(3), control: { rows: [{ ok: true as const, result: cp }], maglev: [] } };
  const md = renderResults(r, 'npm run bench -- --only nft');
  assert.match(md, /^\*\*Busy machine\*\*/);
  assert.match(md, /Load average \(1 min\) through the run: start 3/);
  assert.match(md, /\| HTTP keep-alive \| nft-nat \| 96\.0 req\/s \| 0\.96× \| 1\.92× \|/);
  assert.match(md, /nft engine control plane/);
  assert.match(md, /100 × 1,000 \(100,000 real servers\), wrr/);
});
