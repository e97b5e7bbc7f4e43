import { readFileSync } from 'node:fs';
import { isWebfarmError } from '../model/errors.ts';
import type { Logger } from '../platform/log.ts';
import { checkCommand } from './check.ts';
import { importCommand } from './import.ts';
import type { CliIo } from './io.ts';
import { ipvsadmCommand } from './ipvsadm.ts';
import { runCommand } from './run.ts';
import { statusCommand } from './status.ts';

const HELP = `Usage: webfarm <command> [options]

Commands:
  run [-c FILE]        run a director (no -c: the demo farm on 127.0.0.1:8080)
  check -c FILE        validate a config; every error as FILE:LINE:COL: message
  status [--json]      show the running director's services and real servers
  reload               re-read the config and apply only the difference (as SIGHUP)
  ipvsadm ARGS...      ipvsadm 1.31's commands and output against the running director
  import PATH...       ldirectord.cf or an ha.d directory → native config on stdout
  drain SERVICE REAL   drain a real server (weight 0, wait for its connections, optionally remove)
  enable SERVICE REAL  put a drained or draining real server back in service
  standby              give this director's cluster resources to the peer (hb_standby)
  takeover             take every cluster resource group (hb_takeover)
  realserver up|down --vip ADDR...  on a DR real server: the VIPs on lo, arp_ignore/arp_announce
  lab run FILE|holstein  fault lab: a scenario's farm in namespaces, faults, checked outcomes (root)
  help                 this text;  webfarm <command> --help for a command's options
  version              print the version
`;

type Command = (args: string[], io: CliIo, log: Logger) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  check: (args, io) => checkCommand(args, io),
  status: (args, io) => statusCommand(args, io),
  reload: async (args, io) => (await import('./reload.ts')).reloadCommand(args, io),
  ipvsadm: (args, io) => ipvsadmCommand(args, io),
  import: (args, io) => importCommand(args, io),
  drain: async (args, io) => (await import('./drain.ts')).drainCommand(args, io),
  enable: async (args, io) => (await import('./enable.ts')).enableCommand(args, io),
  standby: async (args, io) => (await import('./standby.ts')).standbyCommand(args, io),
  takeover: async (args, io) => (await import('./takeover.ts')).takeoverCommand(args, io),
  realserver: async (args, io) => (await import('./realserver.ts')).realserverCommand(args, io),
  lab: async (args, io) => (await import('./lab.ts')).labCommand(args, io),
  help: async (_args, io) => {
    io.stdout(HELP);
    return 0;
  },
  version: async (_args, io) => {
    io.stdout(`webfarm ${version()}\n`);
    return 0;
  },
};

/**
 * Dispatch a command line. Returns the exit code; a WebfarmError becomes one line on stderr and exit 1,
 * any other error one line marked "internal error" (stack only with WEBFARM_DEBUG=1).
 */
export async function main(argv: string[], io: CliIo, log: Logger): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') return COMMANDS.version!(rest, io, log);
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`webfarm: unknown command "${name}" (try webfarm help)\n`);
    return 2;
  }
  try {
    return await cmd(rest, io, log);
  } catch (e) {
    if (isWebfarmError(e)) {
      io.stderr(`webfarm: ${e.message}\n`);
      return e.code === 'WF_ERR_CLI_USAGE' ? 2 : 1;
    }
    const detail = process.env.WEBFARM_DEBUG ? `\n${(e as Error).stack}` : '';
    io.stderr(`webfarm: internal error: ${(e as Error).message ?? String(e)}${detail}\n`);
    return 70;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
