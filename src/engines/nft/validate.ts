import type { ForwardMethod } from '../../director/real-server.ts';
import type { ServiceSpec } from '../../director/virtual-service.ts';
import { addressFamily } from '../../model/endpoint.ts';
import { WebfarmError } from '../../model/errors.ts';
import type { SchedulerName } from '../../scheduler/scheduler.ts';
import { isLoopback } from './local-real.ts';
import type { NftMode } from './nft-model.ts';

/** Schedulers the kernel path can express as a slot table (slots.ts). */
export const KERNEL_SCHEDULERS: readonly SchedulerName[] = ['rr', 'wrr', 'sh', 'dh', 'mh', 'fo'];

const WHY_NOT: Partial<Record<SchedulerName, string>> = {
  lc: 'it needs per-connection counts at every new connection',
  wlc: 'it needs per-connection counts at every new connection',
  sed: 'it needs per-connection counts at every new connection',
  nq: 'it needs per-connection counts at every new connection',
  lblc: 'it needs per-destination connection counts and a locality table',
  lblcr: 'it needs per-destination connection counts and a locality table',
  ovf: 'it needs per-connection counts at every new connection',
};

/** What checkService reads: a VirtualService fits, and so does a service built from a config file. */
export interface NftCheckInput {
  readonly id: string;
  readonly spec: Pick<ServiceSpec, 'scheduler' | 'onePacket' | 'proxyProtocol' | 'address' | 'passive'> & {
    /** Checks the port of a local real server under direct routing when given. */
    readonly port?: number;
  };
  readonly dests: ReadonlyArray<{
    readonly id: string;
    readonly address: string;
    readonly port?: number;
    readonly forward: ForwardMethod;
    readonly upperThreshold?: number;
    readonly lowerThreshold?: number;
  }>;
}

/** Where a problem is: a service field, or a field of the real server at `real` (index into `dests`). */
export type NftProblemField =
  | 'scheduler'
  | 'one_packet'
  | 'proxy_protocol'
  | 'passive_health'
  | { readonly real: number; readonly field: 'forward' | 'address' | 'port' | 'upper_threshold' };

export interface NftProblem {
  readonly field: NftProblemField;
  /** Without the "service ID: " prefix. */
  readonly message: string;
}

/**
 * Everything the nft engine refuses in one service, in field order. Pure. A scheduler with no kernel form,
 * one-packet scheduling, the PROXY protocol, passive health (proxy-only), thresholds (not enforced by the
 * kernel path), tunnelling (-i: no IPIP in this kernel), real servers mixing NAT and DR, or of another
 * address family than the VIP. Used at start (checkService) and by `webfarm check` (config/semantic.ts).
 *
 * A real server for which `isLocal` holds (default: loopback; the engine also knows the director's own
 * addresses) is served locally, as IPVS's LOCALNODE: its `forward` is not checked and does not count as a
 * method of the service. Under direct routing it receives the packets unchanged, so it must use the
 * service's port.
 */
export function nftProblems(
  svc: NftCheckInput,
  isLocal: (address: string) => boolean = isLoopback,
): NftProblem[] {
  const out: NftProblem[] = [];
  const s = svc.spec;
  if (!KERNEL_SCHEDULERS.includes(s.scheduler)) {
    const why = WHY_NOT[s.scheduler] ?? 'it has no kernel form';
    out.push({
      field: 'scheduler',
      message: `scheduler ${s.scheduler} is not available in the nft engine (${why}); use ${KERNEL_SCHEDULERS.join(', ')} or the proxy engine`,
    });
  }
  if (s.onePacket)
    out.push({
      field: 'one_packet',
      message: 'one-packet scheduling (-o) is not available in the nft engine',
    });
  if (s.proxyProtocol !== 'off')
    out.push({ field: 'proxy_protocol', message: 'the PROXY protocol needs the proxy engine' });
  if (s.passive)
    out.push({
      field: 'passive_health',
      message: 'passive health watches proxied connections; it needs the proxy engine',
    });
  const dr = svc.dests.some((d) => d.forward === 'route' && !isLocal(d.address));
  svc.dests.forEach((d, real) => {
    const local = isLocal(d.address);
    if (local && dr && s.port !== undefined && s.port !== 0 && d.port !== undefined && d.port !== s.port)
      out.push({
        field: { real, field: 'port' },
        message: `real server ${d.id} is local to the director: under direct routing it gets the packets unchanged, so it must listen on the service's port ${s.port} (on the virtual address or any address)`,
      });
    if (local) {
      // Local delivery, whatever forward says (IPVS's LOCALNODE).
    } else if (d.forward === 'tunnel')
      out.push({
        field: { real, field: 'forward' },
        message: 'tunnelling (-i) is not offered: this kernel has no IPIP',
      });
    else if (d.forward === 'local')
      out.push({
        field: { real, field: 'forward' },
        message: 'local forwarding is not available in the nft engine',
      });
    if ((d.upperThreshold ?? 0) > 0 || (d.lowerThreshold ?? 0) > 0)
      out.push({
        field: { real, field: 'upper_threshold' },
        message: `real server ${d.id}: connection thresholds (-x/-y) are not enforced by the nft engine; use the proxy engine`,
      });
    if (addressFamily(d.address) !== addressFamily(s.address))
      out.push({
        field: { real, field: 'address' },
        message: `real server ${d.id} is not of the virtual address's family`,
      });
  });
  const remote = svc.dests.map((d, real) => ({ d, real })).filter((x) => !isLocal(x.d.address));
  const methods = new Set(remote.map((x) => x.d.forward));
  const mixed = remote.find((x) => x.d.forward !== remote[0]?.d.forward)?.real ?? -1;
  if (methods.has('masq') && methods.has('route') && mixed >= 0)
    out.push({
      field: { real: mixed, field: 'forward' },
      message:
        'its real servers mix NAT (-m, masq) and direct routing (-g, route); use one method per service',
    });
  return out;
}

/**
 * The forwarding mode of a service under the nft engine, or the first of nftProblems as a
 * WF_ERR_NFT_UNSUPPORTED naming the service. Pure. The mode follows the real servers that are not local;
 * a service with local ones only follows their `forward` (route → DR, anything else → NAT).
 */
export function checkService(
  svc: NftCheckInput,
  isLocal: (address: string) => boolean = isLoopback,
): NftMode {
  const first = nftProblems(svc, isLocal)[0];
  if (first) throw new WebfarmError('WF_ERR_NFT_UNSUPPORTED', `service ${svc.id}: ${first.message}`);
  const remote = svc.dests.filter((d) => !isLocal(d.address));
  return (remote.length > 0 ? remote : svc.dests).some((d) => d.forward === 'route') ? 'dr' : 'nat';
}
