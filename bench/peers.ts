import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { haproxyCfg, nginxConf } from './configs.ts';
import { type Started, start } from './exec.ts';
import { type NsExec, waitListening } from './netns.ts';
import { BACKEND, type Forward, formatForward, listenKey } from './topology.ts';

/** Repository root: node children run from here so `--import tsx` resolves. */
export const ROOT = new URL('..', import.meta.url).pathname;
/**
 * fd limit for every process we start (2 per proxied connection). 20,000 is this machine's hard limit
 * and without CAP_SYS_RESOURCE it cannot be raised, so a proxy holds at most ~9,990 connections.
 */
export const NOFILE = 20_000;

/** Node flags for the proxies under test (e.g. BENCH_PROXY_NODE_FLAGS="--cpu-prof --cpu-prof-dir=.bench"). */
function proxyNodeFlags(): string[] {
  return (process.env.BENCH_PROXY_NODE_FLAGS ?? '').split(/\s+/).filter((s) => s !== '');
}

function nodeArgv(script: string, args: readonly string[], flags: readonly string[] = []): string[] {
  return [process.execPath, ...flags, '--import', 'tsx', join(ROOT, script), ...args];
}

/** Start, then wait until its ports are bound; fail early if it exits first. Stops it on failure. */
async function startListening(ns: NsExec, name: string, argv: string[], ports: string[]): Promise<Started> {
  const s = start(name, ns.exec(argv, { nofile: NOFILE }), ROOT);
  const died = s.exited.then((code) => {
    throw new Error(`${name} exited (${code}) while starting: ${s.output().slice(-1000)}`);
  });
  try {
    await Promise.race([waitListening(ns, ports), died]);
  } catch (e) {
    await s.stop();
    throw e;
  }
  died.catch(() => {});
  return s;
}

export async function startNginx(ns: NsExec, dir: string): Promise<Started> {
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, nginxConf(dir, BACKEND.http));
  return startListening(
    ns,
    'nginx',
    ['nginx', '-e', 'stderr', '-p', dir, '-c', conf],
    [`tcp:${BACKEND.http}`],
  );
}

/** Largest maxconn HAProxy accepts under NOFILE (it needs 2 fds per connection plus a few). */
export const HAPROXY_MAXCONN = 9_900;

export async function startHaproxy(ns: NsExec, dir: string, forwards: readonly Forward[]): Promise<Started> {
  const cfg = join(dir, `haproxy-${forwards.map((f) => f.listen).join('-')}.cfg`);
  await writeFile(cfg, haproxyCfg(forwards, HAPROXY_MAXCONN));
  return startListening(ns, 'haproxy', ['haproxy', '-f', cfg, '-db'], forwards.map(listenKey));
}

export function startIperfServer(ns: NsExec): Promise<Started> {
  return startListening(
    ns,
    'iperf3 -s',
    ['iperf3', '-s', '-p', String(BACKEND.iperf)],
    [`tcp:${BACKEND.iperf}`],
  );
}

/** The UDP echo backend on `port`, bound to `host` (default every address). */
export function startUdpEcho(ns: NsExec, port: number = BACKEND.udp, host?: string): Promise<Started> {
  const argv = nodeArgv('bench/servers/udp-echo.ts', [String(port), ...(host ? [host] : [])]);
  return startListening(ns, `udp echo ${host ?? '*'}:${port}`, argv, [`udp:${port}`]);
}

export function startHold(ns: NsExec): Promise<Started> {
  const argv = nodeArgv('bench/servers/tcp-hold.ts', [String(BACKEND.hold)]);
  return startListening(ns, 'tcp hold', argv, [`tcp:${BACKEND.hold}`]);
}

/** The webfarm proxy engine (bench/webfarm-proxy.ts), one service per forward. */
export function startWebfarm(ns: NsExec, forwards: readonly Forward[]): Promise<Started> {
  const argv = nodeArgv('bench/webfarm-proxy.ts', forwards.map(formatForward), proxyNodeFlags());
  return startListening(ns, 'webfarm proxy', argv, forwards.map(listenKey));
}

/** A minimal Node proxy (bench/scratch/pipe-proxy.ts); TCP forwards only. */
export function startNodepipe(ns: NsExec, variant: string, forwards: readonly Forward[]): Promise<Started> {
  const tcp = forwards.filter((f) => f.protocol === 'tcp');
  const argv = nodeArgv(
    'bench/scratch/pipe-proxy.ts',
    [variant, ...tcp.map(formatForward)],
    proxyNodeFlags(),
  );
  return startListening(ns, `node proxy (${variant})`, argv, tcp.map(listenKey));
}
