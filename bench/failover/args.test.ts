import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAILOVER_DEFAULTS, failoverArgv, parseFailoverArgs, standaloneArgv } from './args.ts';

describe('failover bench arguments', () => {
  it('parses options', () => {
    const cases: [string[], Partial<typeof FAILOVER_DEFAULTS>][] = [
      [[], {}],
      [['--runs', '25'], { runs: 25 }],
      [['--runs=3', '--systems', 'keepalived'], { runs: 3, systems: ['keepalived'] }],
      [['--systems', 'webfarm,webfarm'], { systems: ['webfarm'] }],
      [['--jitter', '500ms'], { jitterS: 0.5 }],
      [['--jitter', '0'], { jitterS: 0 }],
      [['--connections', '10', '-h'], { connections: 10, help: true }],
    ];
    for (const [argv, want] of cases) {
      const r = parseFailoverArgs(argv);
      assert.ok(r.ok, argv.join(' '));
      assert.deepEqual(r.value, { ...FAILOVER_DEFAULTS, ...want }, argv.join(' '));
    }
  });

  it('refuses bad values and unknown options', () => {
    const cases: [string[], RegExp][] = [
      [['--runs', '0'], /--runs must be a whole number/],
      [['--runs'], /--runs needs a value/],
      [['--systems', 'vrrpd'], /unknown system vrrpd/],
      [['--jitter', 'soon'], /--jitter must be a duration/],
      [['--duration', '5s'], /unknown option --duration/],
    ];
    for (const [argv, want] of cases) {
      const r = parseFailoverArgs(argv);
      assert.ok(!r.ok, argv.join(' '));
      assert.match(r.error, want);
    }
  });

  it('bench.ts hands `--only failover` (and only that) to the failover benchmark', () => {
    const cases: [string[], string[] | undefined][] = [
      [
        ['--only', 'failover', '--runs', '20'],
        ['--runs', '20'],
      ],
      [
        ['--runs', '3', '--only=failover'],
        ['--runs', '3'],
      ],
      [['--only', 'keepalive'], undefined],
      [['--only', 'failover,idle'], undefined],
      [[], undefined],
    ];
    for (const [argv, want] of cases) assert.deepEqual(failoverArgv(argv), want, argv.join(' '));
  });

  it('--only health is the other standalone benchmark', () => {
    assert.deepEqual(standaloneArgv(['--only', 'health', '--seconds', '10'], 'health'), ['--seconds', '10']);
    assert.equal(standaloneArgv(['--only', 'health'], 'failover'), undefined);
    assert.equal(failoverArgv(['--only=health']), undefined);
  });
});
