import { Director } from '../src/director/director.ts';
import { REAL_DEFAULTS, type RealServerSpec } from '../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../src/director/timeouts.ts';
import { serviceSpec, type ServiceSpec } from '../src/director/virtual-service.ts';
import type { ExecRunner } from '../src/engines/nft/exec-runner.ts';
import { NftEngine } from '../src/engines/nft/nft-engine.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { PathName } from './args.ts';
import { ADDR, PATH_TARGETS } from './topology.ts';

/** One nft service of a benchmark path: VIP:port → one real server, same port (DR cannot map ports). */
export interface NftBenchService {
  readonly protocol: 'tcp' | 'udp';
  readonly vip: string;
  readonly port: number;
  readonly real: string;
  readonly forward: RealServerSpec['forward'];
}

/**
 * The services of an nft path: HTTP, iperf3 and UDP echo on its VIP. NAT (`masq`) goes to the real
 * server's back address, replies routed back through the director; DR (`route`) to its lan address, where
 * it holds the VIP on lo and answers the client directly.
 */
export function nftServices(path: PathName): NftBenchService[] {
  const t = PATH_TARGETS[path];
  const nat = path === 'nft-nat';
  if (!nat && path !== 'nft-dr') throw new Error(`${path} is not an nft path`);
  const real = nat ? ADDR.realBack : ADDR.realLan;
  const forward = nat ? 'masq' : 'route';
  const out: NftBenchService[] = [
    { protocol: 'tcp', vip: t.http.host, port: t.http.port, real, forward },
    { protocol: 'tcp', vip: t.iperf.host, port: t.iperf.port, real, forward },
  ];
  if (t.udp) out.push({ protocol: 'udp', vip: t.udp.host, port: t.udp.port, real, forward });
  return out;
}

function spec(s: NftBenchService): ServiceSpec {
  return serviceSpec(s.protocol, s.vip, s.port, 'rr');
}

/** A running nft engine serving one path's services in the director's namespace. */
export interface NftPath {
  /** Engine errors reported after start (a refused batch, …). */
  readonly errors: string[];
  stop(): Promise<void>;
}

/**
 * Start the nft engine (table `wfbench`) for `path` through `exec` (the director's namespace); resolves
 * once the ruleset is applied. The caller stops it after the path's sample, so the other paths run
 * without its rules (and without conntrack, which NAT switches on in the namespace).
 */
export async function startNftPath(path: PathName, exec: ExecRunner): Promise<NftPath> {
  const director = new Director(systemClock, DEFAULT_TIMEOUTS);
  for (const s of nftServices(path))
    director.addService(spec(s), [{ ...REAL_DEFAULTS, address: s.real, port: s.port, forward: s.forward }]);
  const errors: string[] = [];
  const engine = new NftEngine(director, {
    exec,
    table: 'wfbench',
    statsIntervalMs: 0,
    onError: (e) => errors.push(e.message.split('\n')[0] ?? ''),
  });
  await engine.start();
  director.start();
  return {
    errors,
    stop: async () => {
      await engine.stop();
      director.stop();
    },
  };
}
