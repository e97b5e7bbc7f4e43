import { prefixToDotted } from '../../director/netmask.ts';
import { isLoopback } from './local-real.ts';
import type { NftInput, NftRealView, NftServiceView } from './nft-model.ts';
import type { NftChainDecl, NftRuleset, NftSetDecl, NftTable } from './ruleset.ts';
import { JHASH_SEED, buildSlots, slotCap, slotCount } from './slots.ts';

/**
 * Director state → nftables ruleset (docs/nft-engine.md §Rendering). Pure and deterministic: the same input
 * renders the same text on every director. Two tables named `input.table`, each present only when a
 * service needs it: `inet` for NAT services (nat prerouting DNAT, forward-hook counters, postrouting
 * masquerade) and `netdev` for DR services (one ingress base chain per device).
 *
 * Per service n (names in docs/nft-engine.md): `s<n>` classifies (flow table → persistence → slots),
 * `s<n>_go` dispatches a new flow by mark through `@s<n>_newv` to `s<n>_n<m>` (counts a new connection)
 * and on to `s<n>_r<m>` (the real server's action). The packet mark is the scratch register that carries
 * the chosen real server's mark between rules; it is set back to 0 before the packet leaves.
 */
export function render(input: NftInput): NftRuleset {
  const nat = input.services.filter((s) => s.mode === 'nat');
  const dr = input.services.filter((s) => s.mode === 'dr');
  const tables: NftTable[] = [];
  if (nat.length > 0) tables.push(natTable(input, nat));
  if (dr.length > 0) tables.push(drTable(input, dr));
  return { tables };
}

const l3 = (s: NftServiceView) => (s.family === 6 ? 'ip6' : 'ip');
const addrType = (s: NftServiceView) => (s.family === 6 ? 'ipv6_addr' : 'ipv4_addr');

function natTable(input: NftInput, services: readonly NftServiceView[]): NftTable {
  const sets: NftSetDecl[] = [];
  const chains: NftChainDecl[] = [];
  const stats = new Map<string, string>();
  const masq = new Map<string, string>();
  for (const s of services) {
    serviceObjects(input, s, sets, chains);
    for (const r of s.reals) {
      stats.set(String(r.mark), `jump st${r.mark}`);
      if (s.masquerade) masq.set(String(r.mark), '');
      chains.push({
        name: `st${r.mark}`,
        rules: [`ct direction original counter name r${r.mark}_in return`, `counter name r${r.mark}_out`],
      });
    }
  }
  sets.push({ kind: 'map', name: 'stats', decl: ['type mark : verdict'], elements: stats });
  sets.push({ kind: 'set', name: 'masq', decl: ['type mark'], elements: masq });
  // Connections to a local real server pass input (client → server) and output (replies), not forward.
  const local = services.some((s) => s.reals.some((r) => r.local));
  const countAt = (hook: string): NftChainDecl => ({
    name: hook,
    hook: `type filter hook ${hook} priority filter; policy accept`,
    rules: ['ct mark vmap @stats'],
  });
  chains.unshift(
    {
      name: 'prerouting',
      hook: 'type nat hook prerouting priority dstnat; policy accept',
      rules: services.map(dispatchRule),
    },
    countAt('forward'),
    ...(local ? [countAt('input'), countAt('output')] : []),
    {
      name: 'postrouting',
      hook: 'type nat hook postrouting priority srcnat; policy accept',
      rules: ['ct mark @masq masquerade'],
    },
  );
  return { family: 'inet', name: input.table, sets, chains };
}

function drTable(input: NftInput, services: readonly NftServiceView[]): NftTable {
  const sets: NftSetDecl[] = [];
  const chains: NftChainDecl[] = [];
  const devices = [...new Set(services.map((s) => s.device ?? ''))].sort();
  for (const dev of devices) {
    chains.push({
      name: `in_${dev.replace(/[^A-Za-z0-9_]/g, '_')}`,
      hook: `type filter hook ingress device "${dev}" priority 0; policy accept`,
      rules: services.filter((s) => (s.device ?? '') === dev).map(dispatchRule),
    });
  }
  for (const s of services) serviceObjects(input, s, sets, chains);
  return { family: 'netdev', name: input.table, sets, chains };
}

/** `ip daddr VIP tcp dport P jump s<n>` (port 0: any port of that protocol). */
function dispatchRule(s: NftServiceView): string {
  const port = s.port === 0 ? `meta l4proto ${s.protocol}` : `${s.protocol} dport ${s.port}`;
  return `${l3(s)} daddr ${s.address} ${port} jump s${s.n}`;
}

/**
 * Rendered objects of one service, memoised on everything they depend on: re-rendering after a change of one
 * service reuses the other services' objects (same references, which plan.ts compares first). The output
 * is the same as without the cache.
 */
const memo = new Map<string, { sets: NftSetDecl[]; chains: NftChainDecl[] }>();
const MEMO_MAX = 4096;

function serviceObjects(
  input: NftInput,
  s: NftServiceView,
  sets: NftSetDecl[],
  chains: NftChainDecl[],
): void {
  const key = JSON.stringify([s, input.mhTableSize, input.numgen, input.timeouts]);
  let hit = memo.get(key);
  if (!hit) {
    hit = { sets: [], chains: [] };
    renderService(input, s, hit.sets, hit.chains);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, hit);
  }
  sets.push(...hit.sets);
  chains.push(...hit.chains);
}

/**
 * One object per distinct one-rule chain and counter: a service re-rendered after a weight change hands
 * plan.ts the same references for its per-real chains and counters, so the shape compare skips them without
 * serialising (10 × 1,000 real servers: 30,000 objects). Objects are never mutated. Bounded like `memo`.
 */
const interns = new Map<string, NftChainDecl | NftSetDecl>();

function internedChain(name: string, rule: string): NftChainDecl {
  const key = `c ${name} ${rule}`;
  let c = interns.get(key) as NftChainDecl | undefined;
  if (!c) {
    if (interns.size >= MEMO_MAX * 64) interns.clear();
    c = { name, rules: [rule] };
    interns.set(key, c);
  }
  return c;
}

function interned(set: NftSetDecl): NftSetDecl {
  if (set.elements || set.decl.length > 0) return set;
  const key = `${set.kind} ${set.name}`;
  let x = interns.get(key) as NftSetDecl | undefined;
  if (!x) {
    if (interns.size >= MEMO_MAX * 64) interns.clear();
    x = set;
    interns.set(key, x);
  }
  return x;
}

function renderService(input: NftInput, s: NftServiceView, sets: NftSetDecl[], chains: NftChainDecl[]): void {
  const n = s.n;
  const m = slotCount(s, input.mhTableSize);
  const slots = buildSlots(s, input.mhTableSize);
  const slotEls = new Map<string, string>();
  slots.forEach((mark, i) => {
    if (mark !== 0) slotEls.set(String(i), String(mark));
  });
  sets.push(interned({ kind: 'counter', name: `s${n}_drop`, decl: [] }));
  for (const r of s.reals) {
    for (const c of s.mode === 'nat' ? ['new', 'in', 'out'] : ['new', 'in'])
      sets.push(interned({ kind: 'counter', name: `r${r.mark}_${c}`, decl: [] }));
  }
  sets.push({
    kind: 'map',
    name: `s${n}_slots`,
    // The cap, not M: the declaration stays when a weight change moves M (slots.ts).
    decl: [`typeof numgen inc mod ${slotCap(s, input.mhTableSize)} : meta mark`],
    elements: slotEls,
  });
  const newv = new Map(s.reals.map((r) => [String(r.mark), `goto s${n}_n${r.mark}`]));
  sets.push({ kind: 'map', name: `s${n}_newv`, decl: ['type mark : verdict'], elements: newv });
  if (s.persistence) {
    const avail = new Map<string, string>();
    for (const r of s.reals) if (honoured(s, r)) avail.set(String(r.mark), '');
    sets.push({
      kind: 'map',
      name: `s${n}_persist`,
      decl: [
        `type ${addrType(s)} : mark`,
        'flags dynamic,timeout',
        `timeout ${seconds(s.persistence.timeoutMs)}s`,
      ],
      dynamic: true,
    });
    sets.push({ kind: 'set', name: `s${n}_avail`, decl: ['type mark'], elements: avail });
  }
  if (s.mode === 'dr') {
    const reals = new Map(s.reals.map((r) => [String(r.mark), `goto s${n}_r${r.mark}`]));
    sets.push({ kind: 'map', name: `s${n}_reals`, decl: ['type mark : verdict'], elements: reals });
    sets.push({
      kind: 'map',
      name: `s${n}_flows`,
      decl: [
        `type ${addrType(s)} . inet_service . inet_service : mark`,
        'flags dynamic,timeout',
        'size 1048576',
      ],
      dynamic: true,
    });
  }
  chains.push(...serviceChains(input, s, m));
}

/** A template to this server is honoured (virtual-service.ts #honours): available, and not quiescent under expire_quiescent_template. */
function honoured(s: NftServiceView, r: NftRealView): boolean {
  return r.available && !(s.expireQuiescentTemplate && r.weight === 0);
}

function serviceChains(input: NftInput, s: NftServiceView, m: number): NftChainDecl[] {
  const n = s.n;
  const go: NftChainDecl = {
    name: `s${n}_go`,
    rules: [`meta mark vmap @s${n}_newv`, `counter name s${n}_drop drop`],
  };
  const perReal = s.reals.flatMap((r) => [
    internedChain(`s${n}_n${r.mark}`, `counter name r${r.mark}_new goto s${n}_r${r.mark}`),
    internedChain(`s${n}_r${r.mark}`, realAction(s, r)),
  ]);
  if (s.mode === 'nat') {
    return [
      { name: `s${n}`, rules: ['meta mark set 0', ...scheduleRules(input, s, m, `s${n}_go`)] },
      go,
      ...perReal,
    ];
  }
  const fkey = flowKey(s);
  const fto = `timeout ${seconds(s.protocol === 'tcp' ? input.timeouts.tcpMs : input.timeouts.udpMs)}s`;
  const update = `update @s${n}_flows { ${fkey} ${fto} : meta mark }`;
  return [
    {
      name: `s${n}`,
      rules: [
        'meta mark set 0',
        `meta mark set ${fkey} map @s${n}_flows`,
        `meta mark != 0 ${update} goto s${n}_est`,
        `goto s${n}_sch`,
      ],
    },
    {
      // A flow whose real server was deleted is scheduled afresh (the engine purges such entries: the kernel
      // cannot delete map elements from the packet path).
      name: `s${n}_est`,
      rules: [`meta mark vmap @s${n}_reals`, `meta mark set 0 goto s${n}_sch`],
    },
    { name: `s${n}_sch`, rules: scheduleRules(input, s, m, `s${n}_fl`) },
    { name: `s${n}_fl`, rules: [`meta mark != 0 ${update}`, `goto s${n}_go`] },
    go,
    ...perReal,
  ];
}

/** Persistence lookup, then the slot table; ends with `goto <then>`. */
function scheduleRules(input: NftInput, s: NftServiceView, m: number, then: string): string[] {
  const n = s.n;
  const out: string[] = [];
  const p = s.persistence;
  const pkey = p ? persistKey(s, p.prefix) : '';
  const pup = p ? `update @s${n}_persist { ${pkey} timeout ${seconds(p.timeoutMs)}s : meta mark }` : '';
  if (p) {
    out.push(
      `meta mark set ${pkey} map @s${n}_persist`,
      `meta mark != 0 meta mark @s${n}_avail ${pup} goto ${then}`,
      'meta mark set 0',
    );
  }
  out.push(`meta mark set ${selector(input, s, m)} map @s${n}_slots`);
  if (p) out.push(`meta mark != 0 ${pup}`);
  out.push(`goto ${then}`);
  return out;
}

function selector(input: NftInput, s: NftServiceView, m: number): string {
  const seed = `seed 0x${JHASH_SEED.toString(16)}`;
  const src = `${l3(s)} saddr`;
  const sport = `${s.protocol} sport`;
  switch (s.scheduler) {
    case 'sh':
      return `jhash ${s.flags.includes('sh-port') ? `${src} . ${sport}` : src} mod ${m} ${seed}`;
    case 'mh':
      return `jhash ${s.flags.includes('mh-port') ? `${src} . ${sport}` : src} mod ${m} ${seed}`;
    case 'dh':
      return `jhash ${l3(s)} daddr mod ${m} ${seed}`;
    default:
      return `numgen ${input.numgen} mod ${m}`;
  }
}

function flowKey(s: NftServiceView): string {
  return `${l3(s)} saddr . ${s.protocol} sport . ${s.protocol} dport`;
}

function persistKey(s: NftServiceView, prefix: number): string {
  const full = s.family === 6 ? 128 : 32;
  if (prefix >= full) return `${l3(s)} saddr`;
  return `${l3(s)} saddr & ${s.family === 6 ? ipv6Mask(prefix) : prefixToDotted(prefix)}`;
}

function ipv6Mask(prefix: number): string {
  const words: string[] = [];
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, prefix - i * 16));
    words.push(((0xffff << (16 - keep)) & 0xffff).toString(16));
  }
  return words.join(':');
}

/**
 * NAT: mark the conntrack entry (counters, masquerade), clear the scratch mark, DNAT. DR: rewrite MACs,
 * forward. A local real server (IPVS's LOCALNODE): DR accepts the packet unchanged into the director's own
 * stack (whatever listens on VIP:port gets it); NAT redirects to a loopback server (DNAT to 127/8 would need
 * route_localnet) and DNATs to another local address as to any real server.
 */
function realAction(s: NftServiceView, r: NftRealView): string {
  if (s.mode === 'dr') {
    if (r.local) return `counter name r${r.mark}_in meta mark set 0 accept`;
    return `counter name r${r.mark}_in meta mark set 0 ether saddr set ${s.deviceMac} ether daddr set ${r.mac} fwd to "${s.device}"`;
  }
  const head = `ct mark set ${r.mark} meta mark set 0 meta l4proto ${s.protocol}`;
  if (r.local && isLoopback(r.address))
    return s.port === 0 ? `${head} redirect` : `${head} redirect to :${r.port}`;
  const bracketed = s.family === 6 ? `[${r.address}]` : r.address;
  const to = s.port === 0 ? r.address : `${bracketed}:${r.port}`;
  return `${head} dnat ${l3(s)} to ${to}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
