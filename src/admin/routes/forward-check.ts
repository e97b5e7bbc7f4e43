import type { ForwardMethod } from '../../director/real-server.ts';
import type { Engine } from '../../engines/engine.ts';
import { ApiError } from '../http.ts';

const NEEDS: Record<Exclude<ForwardMethod, 'masq' | 'local'>, string> = {
  route: 'direct routing (route, ipvsadm -g) needs the nft engine',
  tunnel: 'IP tunnelling (tunnel, ipvsadm -i) needs the nft engine with IPIP',
};

/**
 * Refuse a forwarding method the running engine cannot do, naming the engine that can. The proxy engine
 * terminates connections and opens its own to the real server: it can only masquerade.
 */
export function checkForward(engine: Engine | undefined, forward: ForwardMethod): void {
  if (forward === 'local') {
    throw new ApiError(
      422,
      'WF_ERR_ENGINE_UNSUPPORTED',
      'forward "local" is set by the kernel, never chosen',
      'forward',
    );
  }
  if (forward === 'masq' || engine?.name !== 'proxy') return;
  throw new ApiError(
    422,
    'WF_ERR_ENGINE_UNSUPPORTED',
    `${NEEDS[forward]}; the proxy engine forwards as masq (ipvsadm -m, masquerading)`,
    'forward',
  );
}
