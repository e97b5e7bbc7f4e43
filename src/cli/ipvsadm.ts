import { readFileSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import type { PortNames } from '../admin/ipvsadm/address.ts';
import { parseIpvsadm } from '../admin/ipvsadm/parse.ts';
import { restoreLines } from '../admin/ipvsadm/restore-lines.ts';
import { defaultSocketPath } from '../admin/socket-path.ts';
import { isWebfarmError } from '../model/errors.ts';
import type { CliIo } from './io.ts';
import { type ExecContext, execIpvsadm } from './ipvsadm-exec.ts';
import { loadPortNames } from './ipvsadm-port-names.ts';
import { ipvsadmUsage } from './ipvsadm-usage.ts';

const PROGRAM = 'webfarm ipvsadm';

export interface IpvsadmOptions {
  /** Reads all of stdin for -R (default: process.stdin). */
  readonly stdin?: () => Promise<string>;
  readonly names?: PortNames;
}

/**
 * `webfarm ipvsadm ARGS…`: ipvsadm 1.31's command line against the running director's admin API
 * (docs/cli.md). Exit status as ipvsadm: 0 done, 2 bad argument, 255 option syntax or refused by the
 * director, 1 no such service to list. `--admin-socket PATH` (webfarm's own) picks the director.
 */
export async function ipvsadmCommand(args: string[], io: CliIo, opts: IpvsadmOptions = {}): Promise<number> {
  const { socket, rest } = takeSocket(args);
  const ctx: ExecContext = { socket, io, names: opts.names ?? loadPortNames() };
  try {
    return await runLine(rest, ctx, opts, false);
  } catch (e) {
    if (e instanceof Abort) {
      io.stderr(e.stderr);
      return e.exit;
    }
    if (!isWebfarmError(e) || e.code !== 'WF_ERR_ADMIN_UNREACHABLE') throw e;
    io.stderr(`${PROGRAM}: ${e.message}\n`);
    return 2;
  }
}

async function runLine(
  args: readonly string[],
  ctx: ExecContext,
  opts: IpvsadmOptions,
  inRestore: boolean,
): Promise<number> {
  const parsed = parseIpvsadm(args, ctx.names, PROGRAM);
  if (!parsed.ok) throw new Abort(parsed.stderr, parsed.exit);
  const cmd = parsed.command;
  if (cmd.kind === 'help') {
    ctx.io.stdout(ipvsadmUsage(PROGRAM, versionLine()));
    return 0;
  }
  if (cmd.kind === 'version') {
    ctx.io.stdout(`${versionLine()}\n`);
    return 0;
  }
  if (cmd.kind !== 'restore') return execIpvsadm(cmd, ctx);
  // -R inside -R: ipvsadm refuses (its "Try … -h" hint, exit 255).
  if (inRestore) throw new Abort(`Try \`${PROGRAM} -h' or '${PROGRAM} --help' for more information.\n`, 255);
  return restore(ctx, opts);
}

/** A refusal of ipvsadm's own (bad argument, option syntax): ends the command, a restore included. */
class Abort extends Error {
  constructor(
    readonly stderr: string,
    readonly exit: number,
  ) {
    super(stderr);
  }
}

/**
 * -R: one command per line (a leading or any "ipvsadm" word is dropped, blank and #-lines skipped).
 * A line ipvsadm would refuse stops the restore with its exit status (earlier lines stay applied); a line
 * the director refuses prints the refusal and the restore goes on. The status is the last line's.
 */
async function restore(ctx: ExecContext, opts: IpvsadmOptions): Promise<number> {
  const input = await (opts.stdin ?? (() => text(process.stdin)))();
  let result = 0;
  for (const line of restoreLines(input)) {
    try {
      result = await runLine(line, ctx, opts, true);
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      ctx.io.stderr(e.stderr);
      return e.exit;
    }
  }
  return result;
}

function takeSocket(args: readonly string[]): { socket: string; rest: string[] } {
  const rest: string[] = [];
  let socket = defaultSocketPath();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--admin-socket' && i + 1 < args.length) socket = args[++i] as string;
    else if (a.startsWith('--admin-socket=')) socket = a.slice('--admin-socket='.length);
    else rest.push(a);
  }
  return { socket, rest };
}

function versionLine(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return `ipvsadm v1.31 2019/12/24 (compiled with webfarm ${pkg.version} and IPVS v1.2.1)`;
}
