import type { VirtualService } from '../../director/virtual-service.ts';
import { addressFamily } from '../../model/endpoint.ts';
import { WebfarmError } from '../../model/errors.ts';
import type { SchedulerName } from '../../scheduler/scheduler.ts';
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

/**
 * The forwarding mode of a service under the nft engine, or a WF_ERR_NFT_UNSUPPORTED naming what cannot work:
 * a scheduler with no kernel form, one-packet scheduling, tunnelling (-i: no IPIP in this kernel), real
 * servers of one service mixing NAT and DR, or of another address family than the VIP. Pure.
 */
export function checkService(svc: VirtualService): NftMode {
  const bad = (m: string) => new WebfarmError('WF_ERR_NFT_UNSUPPORTED', `service ${svc.id}: ${m}`);
  const s = svc.spec;
  if (!KERNEL_SCHEDULERS.includes(s.scheduler)) {
    const why = WHY_NOT[s.scheduler] ?? 'it has no kernel form';
    throw bad(
      `scheduler ${s.scheduler} is not available in the nft engine (${why}); use ${KERNEL_SCHEDULERS.join(', ')} or the proxy engine`,
    );
  }
  if (s.onePacket) throw bad('one-packet scheduling (-o) is not available in the nft engine');
  if (s.proxyProtocol !== 'off') throw bad('the PROXY protocol needs the proxy engine');
  const methods = new Set(svc.dests.map((d) => d.forward));
  if (methods.has('tunnel')) throw bad('tunnelling (-i) is not offered: this kernel has no IPIP');
  if (methods.has('local')) throw bad('local forwarding is not available in the nft engine');
  if (methods.size > 1)
    throw bad('its real servers mix NAT (-m) and direct routing (-g); use one method per service');
  for (const d of svc.dests) {
    if (addressFamily(d.address) !== addressFamily(s.address)) {
      throw bad(`real server ${d.id} is not of the virtual address's family`);
    }
  }
  return methods.has('route') ? 'dr' : 'nat';
}
