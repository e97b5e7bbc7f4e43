import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatIssue } from '../config/issue.ts';
import { importLdirectordFiles } from '../import/import-ldirectord.ts';
import { importHaD } from '../import/import-had.ts';
import type { CliIo } from './io.ts';
import { usageError } from './usage.ts';

export const IMPORT_HELP = `Usage: webfarm import [--node NAME] [--engine proxy|nft] PATH...

Translate legacy Ultra Monkey configuration into the native config (docs/config.md), written to stdout
with a comment for everything that has no equivalent (docs/import.md).
  PATH             an ldirectord.cf file, or an ha.d directory (ha.cf, haresources, authkeys and the
                   ldirectord.cf files haresources names); several ldirectord.cf files are merged
  --node NAME      this director's name in the cluster (default: uname -n, as heartbeat)
  --engine ENGINE  proxy (default; gate and ipip real servers become masq) or nft (the kernel path:
                   gate becomes forward: route, direct routing as LVS did)
  -h, --help       this text
Exit status: 0 written; 1 a file is invalid or unreadable (each problem on stderr as FILE:LINE:COL:
message, nothing on stdout); 2 bad command line. Directives that are accepted but ignored are listed on
stderr with their line.
`;

/** `webfarm import`: read, translate, validate; never throws for bad input. */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    throw usageError('import', e);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(IMPORT_HELP);
    return 0;
  }
  if (positionals.length === 0)
    throw usageError('import', new Error('give an ldirectord.cf or an ha.d directory'));
  const engine = values.engine ?? 'proxy';
  if (engine !== 'proxy' && engine !== 'nft')
    throw usageError('import', new Error(`--engine: expected proxy or nft, got ${engine}`));
  const dirs: string[] = [];
  const files: Array<{ file: string; text: string }> = [];
  for (const p of positionals) {
    const kind = await kindOf(p);
    if ('error' in kind) {
      io.stderr(`${kind.error}\n`);
      return 1;
    }
    if (kind.dir) dirs.push(p);
    else files.push({ file: p, text: kind.text });
  }
  if (dirs.length > 1) throw usageError('import', new Error('give at most one ha.d directory'));
  const result =
    dirs[0] === undefined
      ? importLdirectordFiles(files, engine)
      : await importHaD(dirs[0], {
          extra: files,
          engine,
          ...(values.node === undefined ? {} : { node: values.node }),
        });
  for (const w of result.warnings ?? []) io.stderr(`${w}\n`);
  if (!result.ok) {
    for (const i of result.issues) io.stderr(`${formatIssue(i)}\n`);
    return 1;
  }
  io.stdout(result.yaml);
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      node: { type: 'string' },
      engine: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function kindOf(
  path: string,
): Promise<{ dir: true } | { dir: false; text: string } | { error: string }> {
  try {
    if ((await stat(path)).isDirectory()) return { dir: true };
    return { dir: false, text: await readFile(path, 'utf8') };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { error: `cannot read ${path}: ${err.code ?? err.message}` };
  }
}
