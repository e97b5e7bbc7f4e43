import { parseArgs } from 'node:util';
import { formatIssue } from '../config/issue.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';

export const CHECK_HELP = `Usage: webfarm check -c FILE [--json]

Validate a native config file (docs/config.md) without running anything.
  -c, --config FILE   the YAML config to check (or give FILE as the only argument)
      --json          print the result as JSON on stdout
  -h, --help          this text
Exit status: 0 valid; 1 the file is invalid or unreadable (every problem on stderr, one per line, as
FILE:LINE:COL: message); 2 bad command line.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** `webfarm check`: load and validate; never throws for a bad file. */
export async function checkCommand(args: string[], io: Io): Promise<number> {
  const opts = parseCheckArgs(args);
  if ('error' in opts) {
    io.stderr(`webfarm check: ${opts.error} (see webfarm check --help)\n`);
    return 2;
  }
  if (opts.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  const result = await loadConfig(opts.file);
  if (opts.json) {
    io.stdout(`${JSON.stringify(jsonReport(opts.file, result))}\n`);
    return result.ok ? 0 : 1;
  }
  if (!result.ok) {
    for (const issue of result.issues) io.stderr(`${formatIssue(issue)}\n`);
    return 1;
  }
  const { services, reals } = counts(result.config);
  io.stdout(`${opts.file}: OK (${plural(services, 'service')}, ${plural(reals, 'real server')})\n`);
  return 0;
}

type CheckArgs = { file: string; json: boolean; help: false } | { help: true } | { error: string };

function parseCheckArgs(args: string[]): CheckArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    return { error: (e as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
    return { error: 'give one config file' };
  }
  const file = values.config ?? positionals[0];
  if (file === undefined || file === '') return { error: 'missing -c FILE' };
  return { file, json: values.json === true, help: false };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function counts(config: Config): { services: number; reals: number } {
  const reals = config.services.reduce((n, s) => n + s.real_servers.length, 0);
  return { services: config.services.length, reals };
}

function jsonReport(file: string, result: Awaited<ReturnType<typeof loadConfig>>) {
  if (!result.ok) {
    const issues = result.issues.map((i) => ({ ...i, text: formatIssue(i) }));
    return { file, ok: false, issues };
  }
  const { services, reals } = counts(result.config);
  return { file, ok: true, services, realServers: reals, issues: [] };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
