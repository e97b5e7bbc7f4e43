import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LD_DIRECTIVES } from './ldirectord-directives.ts';
import { parseLdirectord } from './ldirectord-parse.ts';

const errors = (text: string) => {
  const r = parseLdirectord(text, 'ld.cf');
  return r.ok ? [] : r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
};

describe('ldirectord.cf syntax (seed-system.md §3.2)', () => {
  it('reads globals, blocks, tabs as 4 spaces, comments and blank lines inside a block', () => {
    const r = parseLdirectord(
      '# c\nchecktimeout=3\nvirtual=192.0.2.1:80\n\treal=192.0.2.2:80 gate\n\n    # inside\n    service = http\nquiescent=yes\n',
      'ld.cf',
    );
    assert.ok(r.ok);
    assert.equal(r.value.globals.get('checktimeout')?.value, '3');
    assert.equal(r.value.globals.get('quiescent')?.value, 'yes');
    assert.equal(r.value.virtuals.length, 1);
    const v = r.value.virtuals[0];
    assert.equal(v?.target.value, '192.0.2.1:80');
    assert.equal(v?.reals[0]?.value, '192.0.2.2:80 gate');
    assert.deepEqual(v?.reals[0]?.valueAt, { line: 4, col: 7 });
    assert.equal(v?.directives.get('service')?.value, 'http');
  });

  it('a line at column 0 ends the block', () => {
    const r = parseLdirectord('virtual=192.0.2.1:80\n  \nfallback=127.0.0.1:80\nvirtual=192.0.2.1:81\n', 'x');
    assert.ok(r.ok);
    assert.equal(r.value.virtuals.length, 2);
    assert.equal(r.value.globals.get('fallback')?.value, '127.0.0.1:80');
    assert.equal(r.value.virtuals[0]?.directives.size, 0);
  });

  it('a # later in a line is part of the value (as ldirectord)', () => {
    const r = parseLdirectord('virtual=192.0.2.1:80\n    receive="a # b"\n', 'x');
    assert.ok(r.ok);
    assert.equal(r.value.virtuals[0]?.directives.get('receive')?.value, '"a # b"');
  });

  const cases: ReadonlyArray<readonly [string, string, string]> = [
    [
      'unknown global',
      'chektimeout=3\n',
      '1:1: unknown directive "chektimeout" (did you mean "checktimeout"?)',
    ],
    ['unknown in a block', 'virtual=192.0.2.1:80\n\tfoo=1\n', '2:2: unknown directive "foo"'],
    [
      'not name=value',
      'virtual=192.0.2.1:80\n    real 192.0.2.2:80 gate\n',
      '2:5: unknown directive "real" (expected directive=value)',
    ],
    [
      'timeout is refused',
      'timeout=3\n',
      '1:1: "timeout" is deprecated in favour of checktimeout (ldirectord refuses it too)',
    ],
    [
      'per-virtual at column 0',
      'real=192.0.2.2:80 gate\n',
      '1:1: "real" is only valid inside a virtual= block (indent it under its virtual=)',
    ],
    [
      'global inside a block',
      'virtual=192.0.2.1:80\n    logfile="x"\n',
      '2:5: "logfile" is a global directive: it must start at column 0, outside any virtual= block',
    ],
    [
      'indented with no block',
      '    service=http\n',
      '1:5: "service" is indented but no virtual= block is open',
    ],
    [
      'indented too little',
      'virtual=192.0.2.1:80\n  real=192.0.2.2:80 gate\n',
      '2:3: indented by less than 4 columns: a virtual= block line needs 4 spaces or a tab',
    ],
    [
      'indented virtual',
      'virtual=192.0.2.1:80\n    virtual=192.0.2.1:81\n',
      '2:5: virtual= must start at column 0',
    ],
    ['seconds', 'checkinterval=1.5\n', '1:15: checkinterval: "1.5" is not a whole number of seconds'],
    ['count', 'failurecount=x\n', '1:14: failurecount: "x" is not a whole number'],
    ['bool', 'quiescent=maybe\n', '1:11: quiescent: "maybe" is not yes or no'],
    ['missing value', 'virtual=192.0.2.1:80\n    service=\n', '2:13: service: missing value'],
  ];
  for (const [name, text, want] of cases) {
    it(`error: ${name}`, () => assert.deepEqual(errors(text), [want]));
  }

  it('reports every problem, in line order', () => {
    assert.deepEqual(
      errors('foo=1\ncheckinterval=x\nvirtual=192.0.2.1:80\n\tbar=2\n').map((e) => e.split(':')[0]),
      ['1', '2', '4'],
    );
  });

  it('every directive of §3.3 is known, with its scope', () => {
    const all = [
      'checktimeout',
      'negotiatetimeout',
      'checkinterval',
      'checkcount',
      'failurecount',
      'autoreload',
      'callback',
      'fallback',
      'fallbackcommand',
      'logfile',
      'emailalert',
      'emailalertfrom',
      'emailalertfreq',
      'emailalertstatus',
      'smtp',
      'execute',
      'supervised',
      'fork',
      'quiescent',
      'readdquiescent',
      'cleanstop',
      'maintenancedir',
      'real',
      'checktype',
      'service',
      'checkcommand',
      'checkport',
      'request',
      'receive',
      'httpmethod',
      'virtualhost',
      'login',
      'passwd',
      'database',
      'secret',
      'scheduler',
      'persistent',
      'netmask',
      'protocol',
      'monitorfile',
      'ops',
      'servicename',
      'comment',
      'load',
      'sitename',
      'real6',
      'fallback6',
    ];
    for (const d of all) assert.ok(LD_DIRECTIVES.has(d), d);
    assert.equal(LD_DIRECTIVES.get('maintenancedir')?.scope, 'global');
    assert.equal(LD_DIRECTIVES.get('checktimeout')?.scope, 'both');
    assert.equal(LD_DIRECTIVES.get('real')?.scope, 'virtual');
  });
});
