import type { PathName } from './args.ts';

/** Fixed ports inside the private namespace (nothing else listens there). All on 127.0.0.1. */
export const HOST = '127.0.0.1';

export const BACKEND = { http: 18080, iperf: 5201, udp: 19000, hold: 17000 } as const;

/** Where each path listens for each kind of traffic; `direct` is the backend itself. */
export interface PathPorts {
  readonly http: number;
  readonly iperf: number;
  /** undefined: this path has no UDP proxying. */
  readonly udp: number | undefined;
  readonly hold: number;
}

export const PATH_PORTS: Record<PathName, PathPorts> = {
  direct: BACKEND,
  webfarm: { http: 18081, iperf: 15201, udp: 19001, hold: 17001 },
  haproxy: { http: 18082, iperf: 15202, udp: undefined, hold: 17002 },
  nodepipe: { http: 18083, iperf: 15203, udp: undefined, hold: 17003 },
};

/** A TCP or UDP forward `listen port → backend port`, all on HOST. */
export interface Forward {
  readonly protocol: 'tcp' | 'udp';
  readonly listen: number;
  readonly backend: number;
}

/** The forwards a proxy path serves during the traffic measurements. */
export function trafficForwards(path: PathName): Forward[] {
  const p = PATH_PORTS[path];
  const f: Forward[] = [
    { protocol: 'tcp', listen: p.http, backend: BACKEND.http },
    { protocol: 'tcp', listen: p.iperf, backend: BACKEND.iperf },
  ];
  if (p.udp !== undefined) f.push({ protocol: 'udp', listen: p.udp, backend: BACKEND.udp });
  return f;
}

export function holdForward(path: PathName): Forward {
  return { protocol: 'tcp', listen: PATH_PORTS[path].hold, backend: BACKEND.hold };
}

/** "tcp:18081=18080" — how forwards are passed on the command line of the proxy entries. */
export function formatForward(f: Forward): string {
  return `${f.protocol}:${f.listen}=${f.backend}`;
}

export function parseForward(text: string): Forward {
  const m = /^(tcp|udp):(\d+)=(\d+)$/.exec(text);
  if (!m) throw new Error(`bad forward "${text}" (tcp:LISTEN=BACKEND)`);
  return { protocol: m[1] as 'tcp' | 'udp', listen: Number(m[2]), backend: Number(m[3]) };
}

export function listenKey(f: Forward): string {
  return `${f.protocol}:${f.listen}`;
}
