import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildMaglevTable } from '../../scheduler/maglev-table.ts';
import type { NftInput } from './nft-model.ts';
import { render } from './render.ts';
import { serializeRuleset } from './ruleset.ts';
import { buildSlots } from './slots.ts';
import { nftInput, realView, serviceView } from './testing.ts';

const FIXTURES = new URL('../../../test/fixtures/nft/', import.meta.url);
const UPDATE = process.env.WEBFARM_UPDATE_GOLDEN === '1';

/** Rendered text must equal test/fixtures/nft/<name>.nft (WEBFARM_UPDATE_GOLDEN=1 rewrites them). */
export const GOLDEN_CASES: ReadonlyArray<{ name: string; input: NftInput }> = [
  {
    name: 'nat-rr',
    input: nftInput([
      serviceView(0, { reals: [realView(1, '198.51.100.11'), realView(2, '198.51.100.12')] }),
    ]),
  },
  {
    name: 'nat-wrr-persist-masq',
    input: nftInput([
      serviceView(0, {
        scheduler: 'wrr',
        masquerade: true,
        persistence: { timeoutMs: 300_000, prefix: 24 },
        reals: [
          realView(1, '198.51.100.11', { weight: 3, lastWeight: 3 }),
          realView(2, '198.51.100.12', { weight: 0, lastWeight: 1 }),
        ],
      }),
    ]),
  },
  {
    name: 'nat-udp-sh-port0-v6',
    input: nftInput([
      serviceView(3, {
        protocol: 'udp',
        family: 6,
        address: '2001:db8::240',
        port: 0,
        scheduler: 'sh',
        flags: ['sh-port', 'sh-fallback'],
        persistence: { timeoutMs: 60_000, prefix: 64 },
        reals: [realView(7, '2001:db8::11', { available: false }), realView(8, '2001:db8::12')],
      }),
    ]),
  },
  {
    name: 'dr-mh-tcp-udp',
    input: nftInput([
      serviceView(0, {
        address: '192.0.2.240',
        scheduler: 'mh',
        mode: 'dr',
        device: 'eth0',
        deviceMac: '02:00:00:00:00:01',
        reals: [
          realView(1, '192.0.2.11', { mac: '02:00:00:00:00:11' }),
          realView(2, '192.0.2.12', { mac: '02:00:00:00:00:12' }),
        ],
      }),
      serviceView(1, {
        protocol: 'udp',
        address: '192.0.2.240',
        port: 53,
        scheduler: 'dh',
        mode: 'dr',
        device: 'eth0',
        deviceMac: '02:00:00:00:00:01',
        reals: [realView(3, '192.0.2.11', { mac: '02:00:00:00:00:11', port: 53 })],
      }),
    ]),
  },
  {
    // ldirectord's fallback on the director itself (health layer: forward masq) in a DR service whose
    // real server is down: accepted unchanged into the director's stack.
    name: 'dr-local-fallback',
    input: nftInput([
      serviceView(0, {
        address: '192.0.2.240',
        mode: 'dr',
        device: 'eth0',
        deviceMac: '02:00:00:00:00:01',
        reals: [
          realView(2, '127.0.0.1', { port: 80, local: true }),
          realView(1, '192.0.2.11', { port: 80, mac: '02:00:00:00:00:11', available: false }),
        ],
      }),
    ]),
  },
  {
    // NAT to the director itself: redirect for loopback, DNAT for another local address; input/output count.
    name: 'nat-local',
    input: nftInput([
      serviceView(0, {
        reals: [
          realView(1, '127.0.0.1', { local: true }),
          realView(2, '203.0.113.1', { local: true }),
          realView(3, '198.51.100.11'),
        ],
      }),
      serviceView(1, {
        port: 0,
        persistence: { timeoutMs: 60_000, prefix: 32 },
        reals: [realView(4, '127.0.0.2', { local: true })],
      }),
    ]),
  },
  { name: 'empty', input: nftInput([]) },
];

describe('render goldens', () => {
  for (const c of GOLDEN_CASES) {
    it(c.name, () => {
      const text = serializeRuleset(render(c.input));
      const file = new URL(`${c.name}.nft`, FIXTURES);
      if (UPDATE) writeFileSync(file, text);
      assert.equal(text, readFileSync(file, 'utf8'));
    });
  }
});

describe('render', () => {
  it('is deterministic', () => {
    for (const c of GOLDEN_CASES)
      assert.equal(serializeRuleset(render(c.input)), serializeRuleset(render(c.input)));
  });

  it('puts a table only where a mode is used', () => {
    const table = (i: NftInput) => render(i).tables.map((t) => t.family);
    assert.deepEqual(table(nftInput([serviceView(0)])), ['inet']);
    assert.deepEqual(
      table(nftInput([serviceView(0, { mode: 'dr', device: 'eth0', deviceMac: '02:00:00:00:00:01' })])),
      ['netdev'],
    );
    assert.deepEqual(table(nftInput([])), []);
  });

  it('local real servers: DR accepts into the director, NAT redirects loopback and DNATs the rest', () => {
    const text = (i: NftInput) => serializeRuleset(render(i));
    const dr = text(GOLDEN_CASES.find((c) => c.name === 'dr-local-fallback')?.input ?? nftInput([]));
    assert.match(
      dr,
      /chain s0_fwd \{\n\t\tmeta mark @r_in\n\t\tmeta mark @s0_local meta mark set 0 accept\n/,
    );
    assert.match(dr, /set s0_local \{\n\t\ttype mark\n\t\telements = \{ 2 \}\n/);
    assert.match(
      dr,
      /map s0_mac \{\n\t\ttype mark : ether_addr\n\t\telements = \{ 1 : 02:00:00:00:00:11 \}\n/,
    );
    const nat = text(GOLDEN_CASES.find((c) => c.name === 'nat-local')?.input ?? nftInput([]));
    assert.match(nat, /\t\tct mark 1 meta l4proto tcp redirect to :8080\n/);
    assert.match(nat, /elements = \{ 2 : 203\.0\.113\.1 \. 8080, 3 : 198\.51\.100\.11 \. 8080 \}/);
    assert.match(nat, /\t\tct mark 4 meta l4proto tcp redirect\n/, 'port 0 keeps the port');
    assert.match(
      nat,
      /chain input \{\n\t\ttype filter hook input .*\n\t\tct direction original ct mark @r_in\n/,
    );
    assert.match(
      nat,
      /chain output \{\n\t\ttype filter hook output .*\n.*\n\t\tct direction reply ct mark @r_out\n/,
    );
    assert.doesNotMatch(
      text(nftInput([serviceView(0, { reals: [realView(1, '198.51.100.11')] })])),
      /hook input/,
    );
  });

  it('leaves out of the slots every server that may not take new flows', () => {
    const cases = [
      { over: { weight: 0 }, expect: false },
      { over: { available: false }, expect: false },
      { over: {}, expect: true },
    ];
    for (const c of cases) {
      const svc = serviceView(0, {
        reals: [realView(1, '198.51.100.11', c.over), realView(2, '198.51.100.12')],
      });
      assert.equal([...buildSlots(svc, 251)].includes(1), c.expect, JSON.stringify(c.over));
    }
  });
});

describe('slot tables', () => {
  const reals = (ws: number[]) =>
    ws.map((w, i) => realView(i + 1, `198.51.100.${11 + i}`, { weight: w, lastWeight: w }));
  const share = (slots: Uint32Array) => {
    const c = new Map<number, number>();
    for (const s of slots) c.set(s, (c.get(s) ?? 0) + 1);
    return c;
  };

  it('rr: equal shares in list order for every usable count up to 10', () => {
    for (let n = 1; n <= 10; n++) {
      const slots = buildSlots(serviceView(0, { reals: reals(new Array(n).fill(1)) }), 251);
      assert.deepEqual(
        [...slots.slice(0, n)],
        Array.from({ length: n }, (_, i) => i + 1),
      );
      for (const v of share(slots).values()) assert.equal(v, slots.length / n);
    }
  });

  it('wrr: shares proportional to weight, LVS interleaving', () => {
    const slots = buildSlots(serviceView(0, { scheduler: 'wrr', reals: reals([4, 3, 2]) }), 251);
    assert.deepEqual([...slots], [1, 1, 2, 1, 2, 3, 1, 2, 3], 'one period: Σw ÷ gcd = 9 slots');
    assert.equal(buildSlots(serviceView(0, { scheduler: 'wrr', reals: reals([4, 2, 2]) }), 251).length, 4);
    const capped = buildSlots(serviceView(0, { scheduler: 'wrr', reals: reals([65535, 1]) }), 251);
    assert.equal(capped.length, 2520, 'a period longer than the cap takes the first cap picks');
  });

  it('mh: the proxy engine’s Maglev table, slot for slot', () => {
    const rs = reals([1, 2, 1]);
    const svc = serviceView(0, { scheduler: 'mh', reals: rs });
    for (const size of [251, 65521]) {
      const ours = buildSlots(svc, size);
      const table = buildMaglevTable(
        rs.map((r) => ({ address: r.address, port: r.port, lastWeight: r.lastWeight })),
        size,
      );
      assert.deepEqual(
        [...ours],
        [...table].map((i) => rs[i]?.mark ?? 0),
      );
    }
  });

  it('mh: a quiesced server keeps its slots empty, with mh-fallback they go to the others', () => {
    const rs = [realView(1, '198.51.100.11', { weight: 0, lastWeight: 1 }), realView(2, '198.51.100.12')];
    const plain = buildSlots(serviceView(0, { scheduler: 'mh', reals: rs }), 251);
    const fb = buildSlots(serviceView(0, { scheduler: 'mh', flags: ['mh-fallback'], reals: rs }), 251);
    assert.ok(plain.includes(0) && !plain.includes(1));
    assert.ok(!fb.includes(0) && !fb.includes(1));
  });

  it('sh and dh: 256 buckets', () => {
    assert.equal(buildSlots(serviceView(0, { scheduler: 'sh', reals: reals([1, 1]) }), 251).length, 256);
    assert.equal(buildSlots(serviceView(0, { scheduler: 'dh', reals: reals([1, 1]) }), 251).length, 256);
  });
});
