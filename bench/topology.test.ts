// Unit tests of the benchmark's address plan, nft path services and shared option parsing (part of `npm test`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PATHS } from './args.ts';
import { parseList, parseSeconds, walkFlags } from './flags.ts';
import { nftServices } from './nft-paths.ts';
import { ADDR, DR_UDP_PORT, NFT_PATHS, PATH_TARGETS, PROXY_PATHS, trafficForwards } from './topology.ts';

const DOC_RANGES = [/^192\.0\.2\./, /^198\.51\.100\./, /^203\.0\.113\./];

test('address plan: documentation ranges only; proxies on the director, nft on the VIPs', () => {
  for (const a of Object.values(ADDR))
    assert.ok(
      DOC_RANGES.some((r) => r.test(a)),
      a,
    );
  for (const p of PATHS) {
    const t = PATH_TARGETS[p];
    for (const e of [t.http, t.iperf, t.udp, t.hold])
      if (e)
        assert.ok(
          DOC_RANGES.some((r) => r.test(e.host)),
          p,
        );
  }
  for (const p of PROXY_PATHS) {
    assert.equal(PATH_TARGETS[p].http.host, ADDR.directorFront);
    for (const f of trafficForwards(p)) assert.equal(f.backendHost, ADDR.realBack);
  }
  const ports = PROXY_PATHS.flatMap((p) => trafficForwards(p).map((f) => `${f.protocol}:${f.listen}`));
  assert.equal(new Set(ports).size, ports.length, 'no two proxies share a listening port');
  assert.equal(PATH_TARGETS['nft-nat'].http.host, ADDR.natVip);
  assert.equal(PATH_TARGETS['nft-dr'].udp?.port, DR_UDP_PORT);
  assert.equal(PATH_TARGETS.direct.http.host, ADDR.realLan);
});

test('nft services: NAT to the back address (masq), DR to the lan address (route), same ports', () => {
  const nat = nftServices('nft-nat');
  assert.deepEqual(
    nat.map((s) => `${s.protocol} ${s.vip}:${s.port} → ${s.real} ${s.forward}`),
    [
      'tcp 203.0.113.240:18080 → 198.51.100.11 masq',
      'tcp 203.0.113.240:5201 → 198.51.100.11 masq',
      'udp 203.0.113.240:19000 → 198.51.100.11 masq',
    ],
  );
  const dr = nftServices('nft-dr');
  assert.ok(dr.every((s) => s.vip === ADDR.drVip && s.real === ADDR.realLan && s.forward === 'route'));
  assert.deepEqual(
    dr.map((s) => s.port),
    [18080, 5201, DR_UDP_PORT],
  );
  assert.throws(() => nftServices('haproxy'));
  assert.deepEqual(NFT_PATHS, ['nft-nat', 'nft-dr']);
});

test('shared option loop: inline values, missing values, unknown options, groups', () => {
  const seen: string[] = [];
  const ok = walkFlags(['--a=1', '--b', '2', '-h'], (name, value) => {
    if (name === '-h') return seen.push(name) > 0;
    if (name !== '--a' && name !== '--b') return false;
    seen.push(`${name}=${value()}`);
    return true;
  });
  assert.equal(ok, undefined);
  assert.deepEqual(seen, ['--a=1', '--b=2', '-h']);
  assert.equal(
    walkFlags(['--a'], (_n, v) => v() !== ''),
    '--a needs a value',
  );
  assert.equal(
    walkFlags(['--zz'], () => false),
    'unknown option --zz',
  );
  assert.deepEqual(parseList('--x', 'c,g', ['a', 'b', 'c'] as const, { g: ['a', 'c'] }), ['a', 'c']);
  assert.throws(() => parseList('--x', ',', ['a'] as const), /at least one/);
  assert.equal(parseSeconds('--t', '0', true), 0);
  assert.equal(parseSeconds('--t', '250ms'), 0.25);
  assert.throws(() => parseSeconds('--t', '0'), /positive/);
});
