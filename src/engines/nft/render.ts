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
 * No object per real server: the table holds counted sets (`r_new`, `r_in`, `r_out`, `drops`: one element
 * per real server mark or service number, each with its own counter, counted by a lookup) and per service
 * a few chains and maps keyed by mark (`s<n>_dnat`, `s<n>_mac`). nft reloads its cache of named objects for
 * every batch, so a one-server change costs what the table holds in chains and named counters
 * (docs/nft-engine.md "The one-server change"). The packet mark is the scratch register that carries the
 * chosen real server's mark between rules; it is set back to 0 before the packet leaves.
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

/**
 * The table's counted sets: per real server mark `r_new` (new connections), `r_in` (packets towards it),
 * NAT only `r_out` (its replies); per service number `drops` (packets refused: no usable server). A set
 * declared with `counter` gives every element its own counter, bumped by each lookup that matches.
 */
function countedSets(services: readonly NftServiceView[], kinds: readonly string[]): NftSetDecl[] {
  const marks = sharedElements(services, markKeys);
  const drops = sharedElements(services, serviceKey);
  const set = (name: string, elements: Map<string, string>): NftSetDecl => ({
    kind: 'set',
    name,
    decl: ['type mark', 'counter'],
    elements,
    counted: true,
  });
  return [...kinds.map((k) => set(`r_${k}`, marks)), set('drops', drops)];
}

/**
 * Elements gathered from every service (`keys` of each), as one Map shared between renders while they are
 * the same: plan.ts then skips the set by reference instead of comparing every element (10 × 1,000 real
 * servers: 10,000 per counted set). Keyed by the keys' text, computed once per view object.
 */
const shared = new Map<string, Map<string, string>>();
const keysOf = new WeakMap<NftServiceView, Map<(s: NftServiceView) => string[], string>>();

function sharedElements(
  services: readonly NftServiceView[],
  keys: (s: NftServiceView) => string[],
): Map<string, string> {
  const parts: string[] = [];
  for (const s of services) {
    let per = keysOf.get(s);
    if (!per) {
      per = new Map();
      keysOf.set(s, per);
    }
    let text = per.get(keys);
    if (text === undefined) {
      text = keys(s).join(',');
      per.set(keys, text);
    }
    parts.push(text);
  }
  const id = parts.join(';');
  let els = shared.get(id);
  if (!els) {
    els = new Map();
    for (const s of services) for (const k of keys(s)) els.set(k, '');
    if (shared.size >= 64) shared.clear();
    shared.set(id, els);
  }
  return els;
}

const markKeys = (s: NftServiceView) => s.reals.map((r) => String(r.mark));
const serviceKey = (s: NftServiceView) => [String(s.n)];
const masqKeys = (s: NftServiceView) => (s.masquerade ? markKeys(s) : []);

function natTable(input: NftInput, services: readonly NftServiceView[]): NftTable {
  const sets: NftSetDecl[] = countedSets(services, ['new', 'in', 'out']);
  const chains: NftChainDecl[] = [];
  for (const s of services) serviceObjects(input, s, sets, chains);
  const masq = sharedElements(services, masqKeys);
  sets.push({ kind: 'set', name: 'masq', decl: ['type mark'], elements: masq });
  // Connections to a local real server pass input (client → server) and output (replies), not forward.
  const local = services.some((s) => s.reals.some((r) => r.local));
  const countAt = (hook: string): NftChainDecl => ({
    name: hook,
    hook: `type filter hook ${hook} priority filter; policy accept`,
    rules: ['ct direction original ct mark @r_in', 'ct direction reply ct mark @r_out'],
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
  const sets: NftSetDecl[] = countedSets(services, ['new', 'in']);
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
 * is the same as without the cache. Views are immutable: the engine hands the same view object for a service
 * no event named (`byView`, no serialising); an equal new view hits `memo` by its JSON.
 */
type Objects = { sets: NftSetDecl[]; chains: NftChainDecl[] };
const memo = new Map<string, Objects>();
const byView = new WeakMap<NftServiceView, { params: string; hit: Objects }>();
const MEMO_MAX = 4096;

function serviceObjects(
  input: NftInput,
  s: NftServiceView,
  sets: NftSetDecl[],
  chains: NftChainDecl[],
): void {
  const params = `${input.mhTableSize} ${input.numgen} ${JSON.stringify(input.timeouts)}`;
  let hit = byView.get(s)?.params === params ? byView.get(s)?.hit : undefined;
  if (!hit) {
    const key = `${params} ${JSON.stringify(s)}`;
    hit = memo.get(key);
    if (!hit) {
      hit = { sets: [], chains: [] };
      renderService(input, s, hit.sets, hit.chains);
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(key, hit);
    }
    byView.set(s, { params, hit });
  }
  sets.push(...hit.sets);
  chains.push(...hit.chains);
}

function renderService(input: NftInput, s: NftServiceView, sets: NftSetDecl[], chains: NftChainDecl[]): void {
  const n = s.n;
  const m = slotCount(s, input.mhTableSize);
  const slots = buildSlots(s, input.mhTableSize);
  const slotEls = new Map<string, string>();
  slots.forEach((mark, i) => {
    if (mark !== 0) slotEls.set(String(i), String(mark));
  });
  sets.push({
    kind: 'map',
    name: `s${n}_slots`,
    // The cap, not M: the declaration stays when a weight change moves M (slots.ts).
    decl: [`typeof numgen inc mod ${slotCap(s, input.mhTableSize)} : meta mark`],
    elements: slotEls,
  });
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
  const remote = s.reals.filter((r) => !r.local);
  if (s.mode === 'nat') {
    // Loopback servers are redirected by a rule each; every other server is DNATed through the map.
    const to = s.port === 0 ? addrType(s) : `${addrType(s)} . inet_service`;
    const dnat = new Map<string, string>();
    for (const r of s.reals)
      if (!(r.local && isLoopback(r.address))) dnat.set(String(r.mark), dnatTarget(s, r));
    sets.push({ kind: 'map', name: `s${n}_dnat`, decl: [`type mark : ${to}`], elements: dnat });
  } else {
    const marks = new Map(s.reals.map((r) => [String(r.mark), '']));
    sets.push({ kind: 'set', name: `s${n}_marks`, decl: ['type mark'], elements: marks });
    const macs = new Map(remote.map((r) => [String(r.mark), r.mac ?? '']));
    sets.push({ kind: 'map', name: `s${n}_mac`, decl: ['type mark : ether_addr'], elements: macs });
    if (remote.length < s.reals.length) {
      const local = new Map(s.reals.filter((r) => r.local).map((r) => [String(r.mark), '']));
      sets.push({ kind: 'set', name: `s${n}_local`, decl: ['type mark'], elements: local });
    }
    if (s.protocol === 'tcp') {
      // Flows whose client sent FIN or RST: their entries live `tcpfin`, not `tcp` (IPVS's closing states).
      sets.push({
        kind: 'set',
        name: `s${n}_fin`,
        decl: [`type ${addrType(s)} . inet_service . inet_service`, 'flags dynamic,timeout', 'size 1048576'],
        dynamic: true,
      });
    }
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
export function honoured(s: NftServiceView, r: NftRealView): boolean {
  return r.available && !(s.expireQuiescentTemplate && r.weight === 0);
}

/** No server for this packet (mark 0): count it in `drops` under the service's number, and drop it. */
const refuse = (s: NftServiceView) => `meta mark 0 meta mark set ${s.n} meta mark @drops drop`;

function serviceChains(input: NftInput, s: NftServiceView, m: number): NftChainDecl[] {
  const n = s.n;
  if (s.mode === 'nat') {
    // ct mark names the server for the connection's life (counters, masquerade); the scratch mark is
    // cleared before the NAT statement, which ends the rule.
    const l4 = `meta l4proto ${s.protocol}`;
    const loopback = s.reals
      .filter((r) => r.local && isLoopback(r.address))
      .map((r) => `ct mark ${r.mark} ${l4} redirect${s.port === 0 ? '' : ` to :${r.port}`}`);
    return [
      { name: `s${n}`, rules: ['meta mark set 0', ...scheduleRules(input, s, m, `s${n}_go`)] },
      {
        name: `s${n}_go`,
        rules: [
          refuse(s),
          'meta mark @r_new',
          'ct mark set meta mark meta mark set 0',
          ...loopback,
          `${l4} dnat ${l3(s)} to ct mark map @s${n}_dnat`,
        ],
      },
    ];
  }
  const fkey = flowKey(s);
  const fto = `timeout ${seconds(s.protocol === 'tcp' ? input.timeouts.tcpMs : input.timeouts.udpMs)}s`;
  const update = `update @s${n}_flows { ${fkey} ${fto} : meta mark }`;
  const local = s.reals.some((r) => r.local) ? [`meta mark @s${n}_local meta mark set 0 accept`] : [];
  return [
    {
      name: `s${n}`,
      rules: [
        'meta mark set 0',
        `meta mark set ${fkey} map @s${n}_flows`,
        ...(s.protocol === 'tcp' ? closingRules(input, s, fkey) : []),
        `meta mark != 0 ${update} goto s${n}_est`,
        `goto s${n}_sch`,
      ],
    },
    {
      // A flow whose real server was deleted is scheduled afresh (the engine purges such entries: the kernel
      // cannot delete map elements from the packet path).
      name: `s${n}_est`,
      rules: [`meta mark @s${n}_marks goto s${n}_fwd`, `meta mark set 0 goto s${n}_sch`],
    },
    { name: `s${n}_sch`, rules: scheduleRules(input, s, m, `s${n}_new`) },
    { name: `s${n}_new`, rules: [refuse(s), update, 'meta mark @r_new', `goto s${n}_fwd`] },
    {
      // A local server (IPVS's LOCALNODE) gets the packet unchanged, through the director's own stack.
      name: `s${n}_fwd`,
      rules: [
        'meta mark @r_in',
        ...local,
        `ether saddr set ${s.deviceMac} ether daddr set meta mark map @s${n}_mac meta mark set 0 fwd to "${s.device}"`,
      ],
    },
  ];
}

/**
 * TCP flow entries follow the client's side of the connection, the only side DR sees (IPVS's input-only
 * state table, simplified): a FIN or RST puts the key in `s<n>_fin` and the entry on the `tcpfin` timeout,
 * which every later packet of the flow renews (not the `tcp` one); a SYN on a closing key starts a new
 * connection on a reused port, which is established again. The engine drops closing entries of a server
 * that becomes unavailable (nft-engine.ts #purge), so a reused port does not lead a new connection to it.
 */
function closingRules(input: NftInput, s: NftServiceView, fkey: string): string[] {
  const n = s.n;
  const fin = `timeout ${seconds(input.timeouts.tcpFinMs)}s`;
  const closing = `update @s${n}_flows { ${fkey} ${fin} : meta mark } goto s${n}_est`;
  return [
    `meta mark != 0 tcp flags & (syn | ack) == syn ${fkey} @s${n}_fin delete @s${n}_fin { ${fkey} }`,
    `meta mark != 0 tcp flags & (fin | rst) != 0 update @s${n}_fin { ${fkey} ${fin} } ${closing}`,
    `meta mark != 0 ${fkey} @s${n}_fin ${closing}`,
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

/** The `s<n>_dnat` value of a server: `address . port`, or the address alone for a port-0 service. */
function dnatTarget(s: NftServiceView, r: NftRealView): string {
  return s.port === 0 ? r.address : `${r.address} . ${r.port}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
