import { parseArgs } from 'node:util';
import { type RunningFarm, startFarm } from '../bin/farm.ts';
import { loadFarmPlan } from './load-plan.ts';
import type { FarmPlan } from '../director/farm-plan.ts';
import { formatEndpoint } from '../model/endpoint.ts';
import type { Logger } from '../platform/log.ts';
import { type DemoServer, startDemoServers } from '../demo/demo-servers.ts';
import { DEMO_PORT, demoPlan } from '../demo/demo-plan.ts';
import type { CliIo } from './io.ts';
import { usageError } from './usage.ts';

export const RUN_HELP = `Usage: webfarm run [-c FILE] [-s SOCKET] [--no-admin] [--admin-listen ADDRESS:PORT --admin-token-file FILE]

Run a director. Without -c, runs the demo farm: a virtual service on 127.0.0.1:${DEMO_PORT} balancing
over three built-in demo real servers that answer HTTP with their own name.
  -c, --config FILE   native YAML config (see docs/config.md)
  -s, --socket PATH   admin socket (default: the config's admin.socket, else a per-user path)
      --no-admin      do not open the admin socket
      --admin-listen ADDRESS:PORT
                      also serve the admin API, metrics and dashboard over TCP (bearer token required)
      --admin-token-file FILE
                      the token for --admin-listen (mode 0600; required with it)
      --port N        demo farm only: the virtual service's port (default ${DEMO_PORT})
SIGINT/SIGTERM stop everything cleanly. SIGHUP reloads the config (as \`webfarm reload\`; docs/operations.md).
`;

/** Stop within this long after SIGINT/SIGTERM even if a socket refuses to close. */
const STOP_DEADLINE_MS = 900;

export async function runCommand(args: string[], io: CliIo, log: Logger): Promise<number> {
  const { values } = parseCli(args);
  if (values.help) {
    io.stdout(RUN_HELP);
    return 0;
  }
  let demo: DemoServer[] = [];
  let plan: FarmPlan;
  if (values.config) {
    const loaded = await loadFarmPlan(values.config);
    if (!loaded.ok) {
      for (const line of loaded.errors) io.stderr(`${line}\n`);
      return 1;
    }
    plan = loaded.plan;
  } else {
    demo = await startDemoServers(3);
    plan = demoPlan(
      demo.map((d) => d.port),
      values.port === undefined ? DEMO_PORT : parsePort(values.port),
    );
  }
  let farm: RunningFarm;
  try {
    const socket = values['no-admin'] ? false : values.socket;
    const adminListen = adminListenOf(values['admin-listen'], values['admin-token-file']);
    farm = await startFarm({
      plan,
      configPath: values.config,
      log,
      // The demo farm keeps no runtime state file (docs/operations.md).
      ...(values.config ? {} : { stateFile: false as const }),
      ...(socket === undefined ? {} : { socket }),
      ...(adminListen ? { adminListen } : {}),
    });
  } catch (e) {
    await Promise.all(demo.map((d) => d.close()));
    throw e;
  }
  // Handlers first, then the ready line: whoever reads it may signal at once (a SIGHUP before the
  // handler exists would kill the process with the default action).
  const stopped = waitForStop(log, () => reloadOnSignal(farm, log));
  io.stdout(describe(plan, farm, demo));
  await stopped;
  const deadline = setTimeout(() => process.exit(0), STOP_DEADLINE_MS);
  await farm.stop();
  await Promise.all(demo.map((d) => d.close()));
  clearTimeout(deadline);
  log.info('stopped');
  return 0;
}

function describe(plan: FarmPlan, farm: RunningFarm, demo: DemoServer[]): string {
  const lines: string[] = [];
  for (const svc of farm.director.services.values()) {
    const reals = svc.dests.map((r) => r.id).join(', ');
    lines.push(
      `webfarm: ${svc.spec.protocol} ${formatEndpoint(svc.spec.address, svc.spec.port)} (${svc.spec.scheduler}) -> ${reals}`,
    );
  }
  for (const d of demo) lines.push(`webfarm: demo real server ${d.name} on 127.0.0.1:${d.port}`);
  if (farm.admin)
    lines.push(
      `webfarm: admin socket ${farm.admin.socketPath} (try: webfarm status -s ${farm.admin.socketPath})`,
    );
  if (farm.adminTcp)
    lines.push(
      `webfarm: admin API and dashboard on http://${farm.adminTcp.endpoint}/ (bearer token required; dashboard: http://${farm.adminTcp.endpoint}/#token=TOKEN)`,
    );
  if (demo.length > 0) {
    const svc = plan.services[0]?.spec;
    if (svc) lines.push(`webfarm: demo farm ready — curl http://${formatEndpoint(svc.address, svc.port)}/`);
  }
  lines.push('webfarm: press Ctrl-C to stop');
  return `${lines.join('\n')}\n`;
}

/** SIGHUP: reload; the Reloader logs the one line of the outcome (applied or rejected). */
function reloadOnSignal(farm: RunningFarm, log: Logger): void {
  farm.reload().catch((e: unknown) => log.error('reload-failed', { message: (e as Error).message }));
}

function waitForStop(log: Logger, onHangup: () => void): Promise<void> {
  return new Promise((resolve) => {
    const hangup = () => {
      log.info('sighup', { action: 'reload' });
      onHangup();
    };
    const done = (signal: string) => {
      log.info('stopping', { signal });
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      process.off('SIGHUP', hangup);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    process.on('SIGHUP', hangup);
  });
}

/** --admin-listen needs --admin-token-file (the TCP listener never runs without a token), and vice versa. */
function adminListenOf(listen: string | undefined, tokenFile: string | undefined) {
  if (listen === undefined && tokenFile === undefined) return undefined;
  if (listen === undefined || tokenFile === undefined)
    throw usageError('run', new Error('--admin-listen and --admin-token-file go together'));
  return { listen, tokenFile };
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw usageError('run', new Error(`--port ${text}: not a port`));
  return n;
}

function parseCli(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        socket: { type: 'string', short: 's' },
        'no-admin': { type: 'boolean' },
        'admin-listen': { type: 'string' },
        'admin-token-file': { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw usageError('run', e);
  }
}
