// Unit tests of the benchmark's pure parts (part of `npm test`); alone:
//   node scripts/run-tests.mjs bench/bench.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONTROL, DEFAULTS, nftBenchArgv, parseArgs, parseDuration } from './args.ts';
import { haproxyCfg, nginxConf } from './configs.ts';
import { DOC_END, DOC_START, replaceResults } from './doc.ts';
import { busyWarning } from './machine.ts';
import { parseIperf } from './measure-throughput.ts';
import { parseUdpLoad } from './measure-udp.ts';
import { parseCpuSeconds, parseRssKiB } from './proc-stats.ts';
import { cpuRatioTable, formatNumber, formatSummary, sideBySideTable } from './report.ts';
import type { BenchResult } from './result.ts';
import { ratio, summarize } from './stats.ts';
import { formatForward, parseForward, trafficForwards } from './topology.ts';
import { parseWrk, wrkArgv } from './wrk.ts';

test('parseArgs: options and errors', () => {
  const cases: Array<[string[], Partial<typeof DEFAULTS> | string]> = [
    [[], {}],
    [['--duration', '2s', '--rounds', '1'], { durationS: 2, rounds: 1 }],
    [['--duration=500ms'], { durationS: 0.5 }],
    [['--seconds', '3'], { durationS: 3 }],
    [['--only', 'close,keepalive'], { only: ['keepalive', 'close'] }],
    [['--only', 'nft'], { only: ['keepalive', 'close', 'control'] }],
    [['--only', 'control,http'], { only: ['keepalive', 'close', 'control'] }],
    [['--paths', 'haproxy,direct'], { paths: ['direct', 'haproxy'] }],
    [['--paths', 'nft,direct'], { paths: ['direct', 'nft-nat', 'nft-dr'] }],
    [['--paths', 'routed,nft-dr'], { paths: ['routed', 'nft-dr'] }],
    [
      ['--control', '100x1000:wrr,10x100:mh', '--control-timeout', '90s'],
      {
        controlSizes: [
          { services: 100, reals: 1000, scheduler: 'wrr' },
          { services: 10, reals: 100, scheduler: 'mh' },
        ],
        controlTimeoutS: 90,
      },
    ],
    [['--write-doc', '--idle-conns', '100'], { writeDoc: true, idleConns: 100 }],
    [['--render', 'x.json'], { render: 'x.json' }],
    [['--only', 'nope'], 'unknown "nope"'],
    [['--paths', 'ipvs'], 'unknown "ipvs"'],
    [['--control', '100x1000:sed'], 'bad size'],
    [['--control', '0x10:rr'], 'bad size'],
    [['--rounds', '0'], 'whole number ≥ 1'],
    [['--seconds', '0'], 'must be positive'],
    [['--duration'], 'needs a value'],
    [['--frobnicate'], 'unknown option'],
  ];
  for (const [argv, want] of cases) {
    const r = parseArgs(argv);
    if (typeof want === 'string') {
      assert.equal(r.ok, false, argv.join(' '));
      if (!r.ok) assert.match(r.error, new RegExp(want));
    } else {
      assert.ok(r.ok, argv.join(' '));
      if (r.ok) assert.deepEqual(r.value, { ...DEFAULTS, ...want });
    }
  }
  assert.throws(() => parseDuration('5 minutes'));
  assert.ok(DEFAULT_CONTROL.some((c) => c.services === 100 && c.reals === 1000));
  assert.deepEqual(DEFAULTS.paths, ['direct', 'haproxy', 'webfarm', 'nft-nat', 'nft-dr']);
});

test('nft-bench.ts argv: --only nft and one round unless given; --control-only', () => {
  assert.deepEqual(nftBenchArgv(['--seconds', '3']), ['--rounds', '1', '--only', 'nft', '--seconds', '3']);
  assert.deepEqual(nftBenchArgv(['--control-only']), ['--rounds', '1', '--only', 'control']);
  assert.deepEqual(nftBenchArgv(['--rounds=3', '--only', 'keepalive']), [
    '--rounds=3',
    '--only',
    'keepalive',
  ]);
  const r = parseArgs(nftBenchArgv(['--seconds', '2']));
  assert.ok(r.ok && r.value.rounds === 1 && r.value.durationS === 2 && r.value.only.includes('control'));
});

test('parseWrk: keep-alive and close summaries', () => {
  const ka = `Running 5s test @ http://127.0.0.1:18080/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   360.95us  102.78us   4.20ms   87.65%
    Req/Sec   148.06k    10.37k  158.86k    84.00%
  736830 requests in 5.00s, 109.62MB read
Requests/sec: 147342.06
Transfer/sec:     21.92MB
`;
  assert.deepEqual(parseWrk(ka), {
    requests: 736830,
    seconds: 5,
    reqPerSec: 147342.06,
    errors: 0,
    p99Ms: undefined,
  });
  const latency = `${ka.replace('Requests/sec', '  Latency Distribution\n     50%  635.91us\n     75%  712.00us\n     90%  800.00us\n     99%    1.25ms\nRequests/sec')}`;
  assert.equal(parseWrk(latency).p99Ms, 1.25);
  assert.equal(parseWrk(latency.replace('1.25ms', '900.00us')).p99Ms, 0.9);
  const close = `  61000 requests in 5.01s, 9.20MB read
  Socket errors: connect 0, read 12, write 3, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  12175.65
`;
  assert.equal(parseWrk(close).errors, 20);
  assert.throws(() => parseWrk('unable to connect to 127.0.0.1:9 Connection refused'));
  assert.deepEqual(wrkArgv('http://h/', { durationS: 5, connections: 50, close: true }), [
    'wrk',
    '-t1',
    '-c50',
    '-d5s',
    '--latency',
    '-H',
    'Connection: close',
    'http://h/',
  ]);
});

test('proc stats: CPU from /proc/PID/stat with a hostile comm, RSS from status', () => {
  const stat = '4321 (a) b (c) S 1 4321 4321 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 100 1000 10';
  assert.equal(parseCpuSeconds(stat), 3);
  assert.equal(parseRssKiB('Name:\tnode\nVmRSS:\t   51200 kB\nRssAnon:\t1 kB\n'), 51200);
  assert.throws(() => parseRssKiB('Name:\tkthread\n'));
});

test('summaries, ratios and number formatting', () => {
  assert.deepEqual(summarize([3, 1, 2]), { median: 2, min: 1, max: 3, n: 3 });
  assert.equal(summarize([1, 2, 3, 4])?.median, 2.5);
  assert.equal(summarize([]), undefined);
  assert.equal(ratio(summarize([50]), summarize([100])), 0.5);
  assert.equal(ratio(summarize([50]), undefined), undefined);
  const fmt: Array<[number, string]> = [
    [147512, '147.5k'],
    [6009, '6009'],
    [12.345, '12.3'],
    [0.494, '0.49'],
  ];
  for (const [x, s] of fmt) assert.equal(formatNumber(x), s);
  assert.equal(formatSummary(summarize([1, 2, 3])), '2.0 [1.0–3.0]');
});

test('side-by-side table: every path with ratios to direct and HAProxy, p99, CPU, errors, skips', () => {
  const r = {
    options: { ...DEFAULTS, paths: ['direct', 'haproxy', 'webfarm', 'nft-nat', 'nft-dr'] },
    series: {
      keepalive: {
        direct: { samples: [{ value: 100, cpu: 7, p99Ms: 1, errors: 0 }] },
        haproxy: { samples: [{ value: 70, cpu: 12, p99Ms: 2 }] },
        webfarm: { samples: [{ value: 60 }, { value: 70, errors: 2 }, { value: 80, errors: 1 }] },
        'nft-nat': { samples: [{ value: 91, p99Ms: 1.5, errors: 0 }] },
        'nft-dr': { samples: [], skipped: 'nft engine: no MAC' },
      },
    },
    notes: [],
  } as unknown as BenchResult;
  const t = sideBySideTable(r);
  assert.match(
    t,
    /\| measure \| path \| median \[range\] \| ÷ direct \| ÷ haproxy \| p99 latency \| CPU per unit \| errors \|/,
  );
  assert.match(
    t,
    /\| HTTP keep-alive \| direct \| 100 req\/s \| 1\.00× \| 1\.43× \| 1\.0 ms \| 7\.0 µs\/req \| 0 \|/,
  );
  assert.match(
    t,
    /\| HTTP keep-alive \| webfarm \| 70\.0 \[60\.0–80\.0\] req\/s \| 0\.70× \| 1\.00× \| — \| — \| 3 \|/,
  );
  assert.match(
    t,
    /\| HTTP keep-alive \| nft-nat \| 91\.0 req\/s \| 0\.91× \| 1\.30× \| 1\.5 ms \| — \| 0 \|/,
  );
  assert.match(t, /\| HTTP keep-alive \| nft-dr \| n\/a \(nft engine: no MAC\)/);
  assert.match(
    t,
    /\| HTTP keep-alive \| haproxy \| 70\.0 req\/s \| 0\.70× \| 1\.00× \| 2\.0 ms \| 12\.0 µs\/req \| — \|/,
  );
  assert.doesNotMatch(t, /nodepipe|routed/);
});

test("CPU ratio table: haproxy CPU per request over the proxy's", () => {
  const r = {
    options: { ...DEFAULTS, paths: ['direct', 'webfarm', 'haproxy'] },
    series: {
      close: {
        direct: { samples: [{ value: 1, cpu: 20 }] },
        webfarm: { samples: [{ value: 1, cpu: 200 }] },
        haproxy: {
          samples: [
            { value: 1, cpu: 60 },
            { value: 1, cpu: 70 },
            { value: 1, cpu: 65 },
          ],
        },
      },
    },
  } as unknown as BenchResult;
  assert.match(cpuRatioTable(r), /\| HTTP connection per request \| 0\.33× \|/);
});

test('iperf3 and udp-load results', () => {
  const j = JSON.stringify({ end: { sum_received: { bits_per_second: 2.5e10, bytes: 1.5e10 } } });
  assert.deepEqual(parseIperf(j), { bitsPerSecond: 2.5e10, bytes: 1.5e10 });
  assert.throws(
    () => parseIperf(JSON.stringify({ end: {}, error: 'unable to connect' })),
    /unable to connect/,
  );
  const u = parseUdpLoad('noise\n{"replies":10,"sent":42,"seconds":1,"perSec":10}\n');
  assert.equal(u.sent, 42);
  assert.throws(() => parseUdpLoad(''));
});

test('doc markers: results section replaced, the rest kept', () => {
  const doc = `# B\nintro\n${DOC_START}\nold\n${DOC_END}\n## What we tried\n`;
  const out = replaceResults(doc, 'new table\n');
  assert.equal(out, `# B\nintro\n${DOC_START}\nnew table\n${DOC_END}\n## What we tried\n`);
  assert.throws(() => replaceResults('# no markers', 'x'));
});

test('forwards and peer configs', () => {
  const [http, iperf, udp] = trafficForwards('webfarm');
  assert.deepEqual(http, {
    protocol: 'tcp',
    listenHost: '203.0.113.1',
    listen: 18081,
    backendHost: '198.51.100.11',
    backend: 18080,
  });
  assert.equal(formatForward(http as never), 'tcp:203.0.113.1:18081=198.51.100.11:18080');
  for (const f of [http, iperf, udp]) assert.deepEqual(parseForward(formatForward(f as never)), f);
  assert.deepEqual(parseForward('tcp:18082=18080'), {
    protocol: 'tcp',
    listenHost: '127.0.0.1',
    listen: 18082,
    backendHost: '127.0.0.1',
    backend: 18080,
  });
  assert.throws(() => parseForward('sctp:1=2'));
  assert.equal(trafficForwards('haproxy').length, 2, 'HAProxy gets no UDP forward');
  const cfg = haproxyCfg(trafficForwards('haproxy'), 9900);
  assert.match(cfg, /nbthread 1\n/);
  assert.match(cfg, /mode tcp\n/);
  assert.match(cfg, /bind 203\.0\.113\.1:18082\n {2}server b1 198\.51\.100\.11:18080/);
  assert.doesNotMatch(haproxyCfg([udp as never], 9900), /19001/);
  const nginx = nginxConf('/tmp/x', 18080);
  assert.match(nginx, /access_log off;/);
  assert.match(nginx, /listen 18080 /);
  assert.match(nginx, /return 200 "hello\\n"/);
});

test('busy warning only above half the CPUs', () => {
  assert.equal(busyWarning([0.9, 1, 1], 2), undefined);
  assert.match(busyWarning([3.2, 1, 1], 2) ?? '', /load average 3\.2 on 2 CPUs/);
});
