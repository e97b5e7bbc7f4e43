import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWebfarmError } from '../../model/errors.ts';
import { isLocalAddress, isLoopback } from './local-real.ts';
import { type NftCheckInput, checkService, nftProblems } from './validate.ts';

const VIP = '192.0.2.240';
type Dest = NftCheckInput['dests'][number];
const dest = (address: string, port: number, forward: Dest['forward']): Dest => ({
  id: `${address}:${port}`,
  address,
  port,
  forward,
});
const svc = (dests: Dest[], port = 80): NftCheckInput => ({
  id: `tcp:${VIP}:${port}`,
  spec: { scheduler: 'rr', onePacket: false, proxyProtocol: 'off', address: VIP, port },
  dests,
});

describe('local real servers (IPVS LOCALNODE)', () => {
  it('loopback and the director’s own addresses are local', () => {
    assert.ok(isLoopback('127.0.0.1') && isLoopback('127.1.2.3') && isLoopback('::1'));
    assert.ok(isLoopback('0:0:0:0:0:0:0:1'));
    assert.ok(!isLoopback('192.0.2.1') && !isLoopback('::2'));
    const own = new Set(['192.0.2.1', '2001:db8::1']);
    assert.ok(isLocalAddress('192.0.2.1', own) && isLocalAddress('2001:DB8:0::1', own));
    assert.ok(!isLocalAddress('192.0.2.11', own));
  });

  it('a local fallback (forward masq) in a DR service is not a mixed service; the mode stays DR', () => {
    const s = svc([dest('192.0.2.11', 80, 'route'), dest('127.0.0.1', 80, 'masq')]);
    assert.deepEqual(nftProblems(s), []);
    assert.equal(checkService(s), 'dr');
  });

  it('without the local one the same mix is refused', () => {
    const s = svc([dest('192.0.2.11', 80, 'route'), dest('192.0.2.12', 80, 'masq')]);
    assert.match(nftProblems(s)[0]?.message ?? '', /mix NAT/);
  });

  it('an address of the director counts as local through the predicate', () => {
    const s = svc([dest('192.0.2.11', 80, 'route'), dest('192.0.2.1', 80, 'masq')]);
    assert.equal(nftProblems(s).length, 1);
    assert.deepEqual(
      nftProblems(s, (a) => a === '192.0.2.1'),
      [],
    );
  });

  it('any forward is accepted for a local real server (tunnel, local too)', () => {
    for (const f of ['tunnel', 'local', 'route', 'masq'] as const)
      assert.deepEqual(nftProblems(svc([dest('127.0.0.1', 80, f)])), [], f);
    assert.equal(nftProblems(svc([dest('192.0.2.11', 80, 'tunnel')])).length, 1);
  });

  it('under DR a local server on another port is refused with WF_ERR_NFT_UNSUPPORTED', () => {
    const s = svc([dest('192.0.2.11', 80, 'route'), dest('127.0.0.1', 8080, 'masq')]);
    assert.deepEqual(
      nftProblems(s).map((p) => p.field),
      [{ real: 1, field: 'port' }],
    );
    assert.throws(
      () => checkService(s),
      (e) =>
        isWebfarmError(e) &&
        e.code === 'WF_ERR_NFT_UNSUPPORTED' &&
        /127\.0\.0\.1:8080 is local .* must listen on the service's port 80/.test(e.message),
    );
  });

  it('under NAT a local server may use another port (redirect/DNAT map the port)', () => {
    const s = svc([dest('198.51.100.11', 8080, 'masq'), dest('127.0.0.1', 8080, 'masq')]);
    assert.deepEqual(nftProblems(s), []);
    assert.equal(checkService(s), 'nat');
  });

  it('a service with local servers only follows their forward', () => {
    assert.equal(checkService(svc([dest('127.0.0.1', 80, 'masq')])), 'nat');
    assert.equal(checkService(svc([dest('127.0.0.1', 80, 'route')])), 'dr');
  });
});
