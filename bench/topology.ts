import type { PathName } from './args.ts';

/**
 * The benchmark's address plan (pure data; bench/farm.ts builds it in network namespaces). Three hosts on
 * three bridges, documentation addresses only, no default route anywhere:
 *
 *   front 203.0.113.0/24   client c .10   director d .1, NAT VIP .240
 *   back  198.51.100.0/24                 director d .1              real server r .11
 *   lan   192.0.2.0/24     client c .10   director d .1, DR VIP .240  real server r .11 (+ DR VIP on lo)
 *
 * The client reaches the back segment through the director (route via 203.0.113.1) and the real server
 * answers the front segment through it (route via 198.51.100.1), as NAT needs. Every load generator runs
 * in c, every backend in r, every proxy and the nft engine in d.
 */
export const ADDR = {
  clientFront: '203.0.113.10',
  clientLan: '192.0.2.10',
  directorFront: '203.0.113.1',
  directorBack: '198.51.100.1',
  directorLan: '192.0.2.1',
  natVip: '203.0.113.240',
  drVip: '192.0.2.240',
  realBack: '198.51.100.11',
  realLan: '192.0.2.11',
} as const;

/** The backends' ports on the real server (bound to every address, so the DR VIP on lo too). */
export const BACKEND = { http: 18080, iperf: 5201, udp: 19000, hold: 17000 } as const;
/**
 * A second UDP echo bound to the DR VIP: a DR real server must answer UDP from the VIP (docs/nft-engine.md,
 * "Real-server setup"), and a wildcard-bound socket would answer from 192.0.2.11.
 */
export const DR_UDP_PORT = 19002;

/** host:port */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Where a path is reached from the client, per kind of traffic; undefined = the path cannot carry it. */
export interface PathTargets {
  readonly http: Endpoint;
  readonly iperf: Endpoint;
  readonly udp: Endpoint | undefined;
  readonly hold: Endpoint | undefined;
}

const on = (host: string, http: number, iperf: number, udp?: number, hold?: number): PathTargets => ({
  http: { host, port: http },
  iperf: { host, port: iperf },
  udp: udp === undefined ? undefined : { host, port: udp },
  hold: hold === undefined ? undefined : { host, port: hold },
});

/**
 * direct: the real server on the client's own segment. routed: through the director as a plain IP router
 * (the fair baseline for NAT, which crosses the director too). Proxies: on the director's front address,
 * connecting to the real server's back address. nft NAT / DR: the VIPs, same ports as the backends.
 */
export const PATH_TARGETS: Record<PathName, PathTargets> = {
  direct: on(ADDR.realLan, BACKEND.http, BACKEND.iperf, BACKEND.udp),
  routed: on(ADDR.realBack, BACKEND.http, BACKEND.iperf, BACKEND.udp),
  webfarm: on(ADDR.directorFront, 18081, 15201, 19001, 17001),
  haproxy: on(ADDR.directorFront, 18082, 15202, undefined, 17002),
  nodepipe: on(ADDR.directorFront, 18083, 15203, undefined, 17003),
  'nft-nat': on(ADDR.natVip, BACKEND.http, BACKEND.iperf, BACKEND.udp),
  'nft-dr': on(ADDR.drVip, BACKEND.http, BACKEND.iperf, DR_UDP_PORT),
};

/** Paths served by a userspace proxy process in the director. */
export const PROXY_PATHS: readonly PathName[] = ['webfarm', 'haproxy', 'nodepipe'];
/** Paths served by the nft engine (kernel, no process to measure). */
export const NFT_PATHS: readonly PathName[] = ['nft-nat', 'nft-dr'];

/** A TCP or UDP forward `listen host:port → backend host:port`. */
export interface Forward {
  readonly protocol: 'tcp' | 'udp';
  readonly listenHost: string;
  readonly listen: number;
  readonly backendHost: string;
  readonly backend: number;
}

const LOOPBACK = '127.0.0.1';

/** A forward on loopback both ways (bench/scratch experiments in one namespace). */
export function loopForward(protocol: 'tcp' | 'udp', listen: number, backend: number): Forward {
  return { protocol, listenHost: LOOPBACK, listen, backendHost: LOOPBACK, backend };
}

function forward(protocol: 'tcp' | 'udp', at: Endpoint, backend: number): Forward {
  return { protocol, listenHost: at.host, listen: at.port, backendHost: ADDR.realBack, backend };
}

/** The forwards a proxy path serves during the traffic measurements. */
export function trafficForwards(path: PathName): Forward[] {
  const t = PATH_TARGETS[path];
  const f = [forward('tcp', t.http, BACKEND.http), forward('tcp', t.iperf, BACKEND.iperf)];
  if (t.udp !== undefined) f.push(forward('udp', t.udp, BACKEND.udp));
  return f;
}

/** The forward to the hold backend of a proxy path (idle connections). */
export function holdForward(path: PathName): Forward {
  const hold = PATH_TARGETS[path].hold;
  if (!hold) throw new Error(`${path} has no idle-connection forward`);
  return forward('tcp', hold, BACKEND.hold);
}

/** "tcp:203.0.113.1:18081=198.51.100.11:18080" — forwards on the command line of the proxy entries. */
export function formatForward(f: Forward): string {
  return `${f.protocol}:${f.listenHost}:${f.listen}=${f.backendHost}:${f.backend}`;
}

/** The inverse of formatForward; the short "tcp:LISTEN=BACKEND" means both on 127.0.0.1. */
export function parseForward(text: string): Forward {
  const long = /^(tcp|udp):([\d.]+):(\d+)=([\d.]+):(\d+)$/.exec(text);
  if (long) {
    const [, protocol, listenHost, listen, backendHost, backend] = long as unknown as string[];
    return {
      protocol: protocol as 'tcp' | 'udp',
      listenHost: listenHost as string,
      listen: Number(listen),
      backendHost: backendHost as string,
      backend: Number(backend),
    };
  }
  const short = /^(tcp|udp):(\d+)=(\d+)$/.exec(text);
  if (!short) throw new Error(`bad forward "${text}" (tcp:HOST:PORT=HOST:PORT or tcp:LISTEN=BACKEND)`);
  return loopForward(short[1] as 'tcp' | 'udp', Number(short[2]), Number(short[3]));
}

/** "tcp:PORT" as bench/netns.ts listeningPorts reports a bound socket. */
export function listenKey(f: Forward): string {
  return `${f.protocol}:${f.listen}`;
}
