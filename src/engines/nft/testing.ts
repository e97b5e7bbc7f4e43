import type { NftInput, NftRealView, NftServiceView } from './nft-model.ts';

/** Builders for render/plan tests: small, explicit inputs. */
export function realView(mark: number, address: string, over: Partial<NftRealView> = {}): NftRealView {
  return {
    mark,
    id: `${address}:8080`,
    address,
    port: 8080,
    weight: 1,
    lastWeight: 1,
    available: true,
    ...over,
  };
}

export function serviceView(n: number, over: Partial<NftServiceView> = {}): NftServiceView {
  const address = over.address ?? '203.0.113.240';
  return {
    n,
    id: `${over.protocol ?? 'tcp'}:${address}:${over.port ?? 80}`,
    protocol: 'tcp',
    family: 4,
    address,
    port: 80,
    scheduler: 'rr',
    flags: [],
    expireQuiescentTemplate: false,
    mode: 'nat',
    masquerade: false,
    reals: [],
    ...over,
  };
}

export function nftInput(services: readonly NftServiceView[], over: Partial<NftInput> = {}): NftInput {
  return {
    table: 'webfarm',
    services,
    timeouts: { tcpMs: 900_000, tcpFinMs: 120_000, udpMs: 300_000 },
    numgen: 'inc',
    mhTableSize: 251,
    ...over,
  };
}
