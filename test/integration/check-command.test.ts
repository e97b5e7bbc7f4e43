import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkCommand } from '../../src/cli/check.ts';

/**
 * `webfarm check -c FILE` on the fixtures in test/fixtures/config/: exit code and the exact output lines,
 * through the real executable and in-process. Paths are relative to the repository root (the cwd).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const F = 'test/fixtures/config';

interface Expect {
  readonly args: string[];
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

const CASES: ReadonlyArray<[string, Expect]> = [
  [
    'valid full example',
    {
      args: ['-c', `${F}/valid-full.yaml`],
      code: 0,
      stdout: [`${F}/valid-full.yaml: OK (3 services, 5 real servers)`],
      stderr: [],
    },
  ],
  [
    'the documented example',
    {
      args: ['-c', 'examples/webfarm.yaml'],
      code: 0,
      stdout: ['examples/webfarm.yaml: OK (3 services, 7 real servers)'],
      stderr: [],
    },
  ],
  [
    'malformed YAML',
    {
      args: ['-c', `${F}/malformed.yaml`],
      code: 1,
      stdout: [],
      stderr: [`${F}/malformed.yaml:4:1: YAML syntax: Sequence item without - indicator`],
    },
  ],
  [
    'unknown scheduler',
    {
      args: ['-c', `${F}/unknown-scheduler.yaml`],
      code: 1,
      stdout: [],
      stderr: [
        `${F}/unknown-scheduler.yaml:4:16: services[0].scheduler: unknown scheduler "wlcc" (did you mean "wlc"?)`,
      ],
    },
  ],
  [
    'weight out of range',
    {
      args: ['--config', `${F}/weight-out-of-range.yaml`],
      code: 1,
      stdout: [],
      stderr: [
        `${F}/weight-out-of-range.yaml:8:17: services[0].real_servers[1].weight: 70000 is out of range 0..65535`,
      ],
    },
  ],
  [
    'duplicate real server',
    {
      args: ['-c', `${F}/duplicate-real.yaml`],
      code: 1,
      stdout: [],
      stderr: [
        `${F}/duplicate-real.yaml:7:9: services[0].real_servers[2]: duplicate real server 192.0.2.2:80 (also real_servers[0])`,
      ],
    },
  ],
  [
    'unknown keys',
    {
      args: ['-c', `${F}/unknown-key.yaml`],
      code: 1,
      stdout: [],
      stderr: [
        `${F}/unknown-key.yaml:4:5: services[0].schedular: unknown key (did you mean "scheduler"?)`,
        `${F}/unknown-key.yaml:7:9: services[0].real_servers[0].wieght: unknown key (did you mean "weight"?)`,
      ],
    },
  ],
  [
    'port 0 without persistence',
    {
      args: ['-c', `${F}/port0-no-persistence.yaml`],
      code: 1,
      stdout: [],
      stderr: [
        `${F}/port0-no-persistence.yaml:4:11: services[0].port: port 0 (every port) is only allowed on a persistent service; add persistence`,
      ],
    },
  ],
  [
    'every error, in file order',
    {
      args: ['-c', `${F}/many-errors.yaml`],
      code: 1,
      stdout: [],
      stderr: [
        `${F}/many-errors.yaml:2:18: timeouts.tcp: "-5s": a duration cannot be negative`,
        `${F}/many-errors.yaml:2:28: timeouts.udp: "5 minutes" is not a duration (use a number with a unit: 500ms, 2s, 5m, 1h; a bare number means seconds)`,
        `${F}/many-errors.yaml:7:17: services[0].one_packet: is only valid with protocol udp`,
        `${F}/many-errors.yaml:8:23: services[0].scheduler_flags[0]: flag "sh-port" is not valid for scheduler wlc (wlc takes no flags)`,
        `${F}/many-errors.yaml:10:69: services[0].real_servers[0].lower_threshold: 20 is greater than upper_threshold 10`,
        `${F}/many-errors.yaml:11:20: services[0].real_servers[1].address: "192.0.2.300" is not an IPv4 or IPv6 address`,
        `${F}/many-errors.yaml:12:5: services[1]: duplicate virtual service tcp 192.0.2.240:80 (also services[0])`,
      ],
    },
  ],
  [
    'empty file',
    {
      args: ['-c', `${F}/empty.yaml`],
      code: 1,
      stdout: [],
      stderr: [
        `${F}/empty.yaml:1:1: the file is empty; expected a mapping with a "services" list (see docs/config.md)`,
      ],
    },
  ],
  [
    'missing file',
    {
      args: ['-c', `${F}/no-such-file.yaml`],
      code: 1,
      stdout: [],
      stderr: [`cannot read ${F}/no-such-file.yaml: ENOENT: no such file or directory`],
    },
  ],
  [
    'no file given',
    { args: [], code: 2, stdout: [], stderr: ['webfarm check: missing -c FILE (see webfarm check --help)'] },
  ],
];

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

test('check: in-process, exit code and exact lines', async () => {
  for (const [name, want] of CASES) {
    let stdout = '';
    let stderr = '';
    const code = await checkCommand(want.args, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
    });
    assert.deepEqual(
      { code, stdout: lines(stdout), stderr: lines(stderr) },
      { code: want.code, stdout: want.stdout, stderr: want.stderr },
      name,
    );
  }
});

test('check: --json reports the same issues as data', async () => {
  let stdout = '';
  const code = await checkCommand(['-c', `${F}/unknown-key.yaml`, '--json'], {
    stdout: (s) => (stdout += s),
    stderr: () => {},
  });
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as {
    ok: boolean;
    issues: Array<{ line: number; col: number; text: string }>;
  };
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.issues.map((i) => [i.line, i.col]),
    [
      [4, 5],
      [7, 9],
    ],
  );
});

test('check: the webfarm executable', async () => {
  for (const [name, want] of CASES) {
    const got = await run(['bin/webfarm.js', 'check', ...want.args]);
    assert.deepEqual(got, { code: want.code, stdout: want.stdout, stderr: want.stderr }, name);
  }
});

interface RunResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

function run(args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: lines(stdout), stderr: lines(stderr) });
    });
  });
}
