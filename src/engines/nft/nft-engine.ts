import type { Director } from '../../director/director.ts';
import type { VirtualService } from '../../director/virtual-service.ts';
import { addressFamily } from '../../model/endpoint.ts';
import { WebfarmError } from '../../model/errors.ts';
import type { Clock, Timer } from '../../platform/clock.ts';
import { MH_DEFAULT_TABLE_SIZE } from '../../scheduler/maglev-table.ts';
import type { Engine } from '../engine.ts';
import {
  type CounterValue,
  conntrackGauges,
  counterDelta,
  parseCounterName,
  parseCounters,
} from './counters.ts';
import { type ExecRunner, spawnExec } from './exec-runner.ts';
import { closingPurgeScript, keyText, mapEntries, purgeScript, setKeys } from './map-entries.ts';
import { isLocalAddress, isLoopback } from './local-real.ts';
import { IpNetFacts, type NetFacts } from './net-facts.ts';
import type { NftInput, NftRealView, NftServiceView, NumgenMode } from './nft-model.ts';
import { NftRunner } from './nft-runner.ts';
import { type PlanKind, plan } from './plan.ts';
import { honoured, render } from './render.ts';
import type { NftRuleset } from './ruleset.ts';
import { checkService } from './validate.ts';

export interface NftEngineOptions {
  /** Runs nft/ip/arping; default spawn in this process's namespace (tests: netnsExec). */
  readonly exec?: ExecRunner;
  /** Network facts for DR; default `ip -j` through `exec`. */
  readonly facts?: NetFacts;
  /** Table name in the inet and netdev families (default "webfarm"; one per director instance). */
  readonly table?: string;
  /** DR device; default the device holding the VIP, else the device of the route to the first real server. */
  readonly device?: string;
  /** NAT: masquerade every service (true) or those whose ids are listed. Default none. */
  readonly masquerade?: boolean | ReadonlySet<string>;
  /** numgen mode of rr/wrr/fo (default inc: LVS order; random: weighted random). */
  readonly numgen?: NumgenMode;
  /** mh slot count, a kernel prime (default 65521). */
  readonly mhTableSize?: number;
  /** Counter polling period into the director's Stats, ms (default 2000; 0 = only on refreshStats()). */
  readonly statsIntervalMs?: number;
  readonly clock?: Clock;
  /**
   * false = start passive: check everything but install no rules until `activate()` (a cluster standby,
   * whose address is not local; see docs/nft-engine.md "Activation"). Default true.
   */
  readonly active?: boolean;
  /**
   * Element-only changes (one server's weight, health, admin) go to a long-lived `nft -i` child instead
   * of a new `nft -f -` each (when `exec` can start one). Default true.
   */
  readonly shell?: boolean;
  /** Failures no caller can be given: a change the kernel refused, a service that became unsupported. */
  readonly onError?: (e: Error) => void;
}

/**
 * The nft kernel engine (docs/nft-engine.md): renders the director's services into nftables (render.ts),
 * applies the difference atomically after every director event (plan.ts) and feeds nft counters and
 * conntrack back into the director's Stats. It schedules nothing in userspace: the kernel does.
 */
export class NftEngine implements Engine {
  readonly name = 'nft';
  readonly #director: Director;
  readonly #runner: NftRunner;
  readonly #exec: ExecRunner;
  readonly #facts: NetFacts;
  readonly #opts: NftEngineOptions;
  readonly #table: string;
  readonly #onError: (e: Error) => void;
  readonly #serviceN = new Map<string, number>();
  readonly #realMark = new Map<string, number>();
  readonly #markOwner = new Map<number, { svc: string; real: string }>();
  readonly #lastWeight = new Map<string, number>();
  readonly #dr = new Map<string, { mac: string }>();
  readonly #devMac = new Map<string, string>();
  /** DR: the device of each VIP, found once per run (#device). */
  readonly #vipDevice = new Map<string, string>();
  readonly #lastGood = new Map<string, NftServiceView>();
  /** The last view of each service that could be built (applied or not): reused until an event names it. */
  readonly #viewed = new Map<string, NftServiceView>();
  /** Services named by director events since the last sync: only these are viewed again. */
  #dirty = new Set<string>();
  readonly #errors = new Map<string, Error>();
  readonly #awaited = new Set<string>();
  readonly #counters = new Map<string, CounterValue>();
  /** The director's own addresses, read once per engine run when a real server is not loopback. */
  #own: ReadonlySet<string> | undefined;
  #nextN = 0;
  #nextMark = 1;
  #applied: NftRuleset | undefined;
  #views: readonly NftServiceView[] = [];
  #queue: Promise<void> = Promise.resolve();
  #pending = false;
  #unsubscribe: (() => void) | undefined;
  #timer: Timer | undefined;
  #active: boolean;
  /** The kind of the last applied plan (tests, benchmarks). */
  lastPlan: PlanKind = 'none';
  /** The last script applied (tests, benchmarks). */
  lastScript = '';

  constructor(director: Director, opts: NftEngineOptions = {}) {
    this.#director = director;
    this.#opts = opts;
    this.#exec = opts.exec ?? spawnExec;
    this.#runner = new NftRunner(this.#exec, 'nft', opts.shell ?? true);
    this.#facts = opts.facts ?? new IpNetFacts(this.#exec);
    this.#table = opts.table ?? 'webfarm';
    this.#onError = opts.onError ?? (() => {});
    this.#active = opts.active ?? true;
  }

  /** Check everything, then create the tables in one batch. Any error is thrown before anything is applied. */
  async start(): Promise<void> {
    if (this.#unsubscribe) return;
    await this.#runner.probe();
    const views = await this.#allViews();
    if (this.#active) await this.#install(views);
    else await this.#runner.apply(this.#leftovers());
    this.#unsubscribe = this.#director.on((e) => {
      this.#dirty.add(e.service.id);
      this.#schedule();
    });
    const every = this.#opts.statsIntervalMs ?? 2000;
    if (every > 0) {
      const clock = this.#opts.clock ?? this.#director.clock;
      this.#timer = clock.setInterval(() => {
        this.refreshStats().catch((e: Error) => this.#onError(e));
      }, every);
    }
  }

  /** Stop following the director and delete the tables: no webfarm table is left behind. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#queue;
    try {
      await this.#uninstall();
    } finally {
      this.#runner.close();
    }
  }

  /** Whether the rules are installed (or will be at start): see NftEngineOptions.active. */
  get active(): boolean {
    return this.#active;
  }

  /**
   * Install every service's rules in one batch, all or nothing: if a service cannot work or the kernel
   * refuses the batch, nothing is installed, the engine stays passive and the error is thrown. Idempotent.
   * Before start(): only records that start() should install.
   */
  async activate(): Promise<void> {
    if (this.#active) return;
    this.#active = true;
    if (!this.#unsubscribe) return;
    const run = this.#queue.then(async () => this.#install(await this.#allViews()));
    this.#queue = run.catch(() => {});
    try {
      await run;
    } catch (e) {
      this.#active = false;
      throw e;
    }
  }

  /**
   * Delete the tables: no rule of ours forwards anything until `activate()`. NAT connections already
   * established keep their translation (it lives in conntrack); the DR flow table goes with the table.
   * Director changes are still checked, and their errors reported. Idempotent.
   */
  async deactivate(): Promise<void> {
    this.#active = false;
    const run = this.#queue.then(() => this.#uninstall());
    this.#queue = run.catch(() => {});
    await run;
  }

  async serviceReady(id: string): Promise<void> {
    this.#awaited.add(id);
    try {
      await this.#queue;
      const e = this.#errors.get(id);
      if (e) throw e;
    } finally {
      this.#awaited.delete(id);
    }
  }

  /** Resolves when every change seen so far is applied (or failed and was reported). */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /** Read the counted sets (and conntrack / the flow tables for the gauges) into the director's Stats now. */
  async refreshStats(): Promise<void> {
    const applied = this.#applied;
    try {
      await this.#readStats();
    } catch (e) {
      // A read that raced a deactivation or rebuild found its table gone: not an error of the ruleset.
      if (this.#applied === applied && applied !== undefined) throw e;
    }
  }

  async #readStats(): Promise<void> {
    for (const t of this.#applied?.tables ?? []) {
      // Sets are listed with their elements (maps are not): the counted sets, and the small per-service ones.
      const objs = await this.#runner.listJson(['sets', 'table', t.family, t.name]);
      for (const [name, value] of parseCounters(objs)) {
        const d = counterDelta(this.#counters.get(name), value);
        this.#counters.set(name, value);
        if (d.packets > 0 || d.bytes > 0) this.#addCounter(name, d);
      }
    }
    await this.#refreshGauges();
  }

  #schedule(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#queue = this.#queue
      .then(async () => {
        this.#pending = false;
        await this.#sync();
      })
      .catch((e: Error) => this.#onError(e));
  }

  /** Every service's view; throws the first that cannot work, before anything is applied. */
  async #allViews(): Promise<NftServiceView[]> {
    const views: NftServiceView[] = [];
    for (const svc of this.#director.services.values()) views.push(await this.#view(svc));
    for (const v of views) this.#viewed.set(v.id, v);
    return views;
  }

  /** `add table` + `delete table` of both families: removes a leftover table of ours, whatever it holds. */
  #leftovers(): string {
    return ['inet', 'netdev']
      .map((f) => `add table ${f} ${this.#table}\ndelete table ${f} ${this.#table}\n`)
      .join('');
  }

  /** Fresh tables from `views` in one batch (leftovers deleted in the same batch). */
  async #install(views: readonly NftServiceView[]): Promise<void> {
    const next = render(this.#input(views));
    const p = plan(undefined, next);
    await this.#runner.apply(this.#leftovers() + p.script);
    this.#commit(next, views, p.kind, p.script);
  }

  async #uninstall(): Promise<void> {
    const script = (this.#applied?.tables ?? []).map((t) => `delete table ${t.family} ${t.name}\n`).join('');
    this.#applied = undefined;
    this.#views = [];
    await this.#runner.apply(script);
  }

  /**
   * Re-render and apply the difference (passive: only check it). Only the services that director events
   * named since the last sync are viewed (and checked) again; every other service keeps its last view, the
   * same object, which render.ts and plan.ts then skip by reference.
   */
  async #sync(): Promise<void> {
    if (!this.#unsubscribe) return;
    const dirty = this.#dirty;
    this.#dirty = new Set();
    const views: NftServiceView[] = [];
    for (const svc of this.#director.services.values()) {
      const kept = dirty.has(svc.id) ? undefined : this.#viewed.get(svc.id);
      if (kept && !this.#errors.has(svc.id)) {
        views.push(kept);
        continue;
      }
      if (!dirty.has(svc.id) && this.#errors.has(svc.id)) {
        const last = this.#lastGood.get(svc.id);
        if (last) views.push(last);
        continue;
      }
      try {
        const v = await this.#view(svc);
        this.#errors.delete(svc.id);
        this.#viewed.set(svc.id, v);
        views.push(v);
      } catch (e) {
        this.#errors.set(svc.id, e as Error);
        if (!this.#awaited.has(svc.id)) this.#onError(e as Error);
        const last = this.#lastGood.get(svc.id);
        if (last) views.push(last);
      }
    }
    for (const id of [...this.#lastGood.keys()])
      if (!this.#director.services.has(id)) this.#lastGood.delete(id);
    for (const id of [...this.#viewed.keys()]) if (!this.#director.services.has(id)) this.#viewed.delete(id);
    if (!this.#active || !this.#applied) return;
    const next = render(this.#input(views));
    const p = plan(this.#applied, next);
    if (p.kind === 'elements' || p.kind === 'rules') await this.#runner.applyLines(p.script);
    else await this.#runner.apply(p.script);
    const before = this.#views;
    this.#commit(next, views, p.kind, p.script);
    await this.#purge(before, views);
  }

  #commit(next: NftRuleset, views: readonly NftServiceView[], kind: PlanKind, script: string): void {
    this.#applied = next;
    this.#views = views;
    this.lastPlan = kind;
    this.lastScript = script;
    for (const v of views) this.#lastGood.set(v.id, v);
  }

  #input(services: readonly NftServiceView[]): NftInput {
    return {
      table: this.#table,
      services,
      timeouts: this.#director.timeouts,
      numgen: this.#opts.numgen ?? 'inc',
      mhTableSize: this.#opts.mhTableSize ?? MH_DEFAULT_TABLE_SIZE,
    };
  }

  /** The render view of one service; throws (before anything is applied) what cannot work. */
  async #view(svc: VirtualService): Promise<NftServiceView> {
    if (!this.#own && svc.dests.some((d) => !isLoopback(d.address)))
      this.#own = await this.#facts.localAddresses();
    const own = this.#own ?? new Set<string>();
    const isLocal = (address: string) => isLocalAddress(address, own);
    const mode = checkService(svc, isLocal);
    const s = svc.spec;
    let n = this.#serviceN.get(svc.id);
    if (n === undefined) {
      n = this.#nextN++;
      this.#serviceN.set(svc.id, n);
    }
    const device = mode === 'dr' ? await this.#device(svc, isLocal) : undefined;
    const reals: NftRealView[] = [];
    for (const d of svc.dests) {
      const key = `${svc.id}|${d.id}`;
      let mark = this.#realMark.get(key);
      if (mark === undefined) {
        mark = this.#nextMark++;
        this.#realMark.set(key, mark);
        this.#markOwner.set(mark, { svc: svc.id, real: d.id });
      }
      const prev = this.#lastWeight.get(key);
      const lastWeight = d.weight !== 0 || prev === undefined ? d.weight : prev;
      this.#lastWeight.set(key, lastWeight);
      const local = isLocal(d.address);
      const mac = device && !local ? await this.#realMac(d.address, device) : undefined;
      reals.push({
        mark,
        id: d.id,
        address: d.address,
        port: d.port,
        weight: d.weight,
        lastWeight,
        available: d.available,
        ...(mac ? { mac } : {}),
        ...(local ? { local } : {}),
      });
    }
    const masq = this.#opts.masquerade;
    return {
      n,
      id: svc.id,
      protocol: s.protocol,
      family: addressFamily(s.address),
      address: s.address,
      port: s.port,
      scheduler: s.scheduler,
      flags: s.flags,
      ...(s.persistence ? { persistence: s.persistence } : {}),
      expireQuiescentTemplate: s.expireQuiescentTemplate,
      mode,
      masquerade: mode === 'nat' && (masq === true || (masq instanceof Set && masq.has(svc.id))),
      ...(device ? { device, deviceMac: await this.#deviceMac(device) } : {}),
      reals,
    };
  }

  async #device(svc: VirtualService, isLocal: (address: string) => boolean): Promise<string> {
    if (this.#opts.device) return this.#opts.device;
    // Found once per VIP and engine run, as the MACs: a link that goes down later (the cluster's LAN-down
    // fault) must not make a passive engine's checks fail.
    const known = this.#vipDevice.get(svc.spec.address);
    if (known) return known;
    const held = await this.#facts.deviceHolding(svc.spec.address);
    const first = svc.dests.find((d) => !isLocal(d.address));
    const route = held || !first ? undefined : await this.#facts.routeTo(first.address);
    const dev = held ?? (route && !route.local ? route.dev : undefined);
    if (dev) {
      this.#vipDevice.set(svc.spec.address, dev);
      return dev;
    }
    throw new WebfarmError(
      'WF_ERR_NFT_DEVICE',
      `service ${svc.id}: cannot tell the device for direct routing (the VIP is not local and there is no route to a real server); set the device`,
    );
  }

  async #deviceMac(dev: string): Promise<string> {
    const known = this.#devMac.get(dev);
    if (known) return known;
    const mac = await this.#facts.linkMac(dev);
    this.#devMac.set(dev, mac);
    return mac;
  }

  /** DR: the real server must be on the device's segment (no gateway); its MAC from the neighbour table. */
  async #realMac(address: string, dev: string): Promise<string> {
    const key = `${dev}|${address}`;
    const known = this.#dr.get(key);
    if (known) return known.mac;
    const route = await this.#facts.routeTo(address);
    if (!route || route.gateway || route.local || route.dev !== dev) {
      const how = !route
        ? 'no route'
        : route.gateway
          ? `via gateway ${route.gateway}`
          : route.local
            ? 'a local address'
            : `on device ${route.dev}`;
      throw new WebfarmError(
        'WF_ERR_NFT_SEGMENT',
        `direct routing to ${address} cannot work: it is not on the segment of device ${dev} (${how})`,
      );
    }
    const mac = await this.#facts.neighbourMac(address, dev);
    if (!mac) {
      throw new WebfarmError(
        'WF_ERR_NFT_NEIGHBOUR',
        `no MAC address for real server ${address} on ${dev} (no ARP answer)`,
      );
    }
    this.#dr.set(key, { mac });
    return mac;
  }

  #addCounter(name: string, d: CounterValue): void {
    const parsed = parseCounterName(name);
    if (!parsed) return;
    if ('drop' in parsed) {
      const id = [...this.#serviceN].find(([, n]) => n === parsed.drop)?.[0];
      const svc = id ? this.#director.services.get(id) : undefined;
      if (svc) svc.refused += d.packets;
      return;
    }
    const owner = this.#markOwner.get(parsed.mark);
    const svc = owner ? this.#director.services.get(owner.svc) : undefined;
    if (!owner || !svc) return;
    const real = svc.findReal(owner.real);
    for (const st of real ? [svc.stats, real.stats] : [svc.stats]) {
      if (parsed.kind === 'new') st.conns += d.packets;
      else if (parsed.kind === 'in') {
        st.inPkts += d.packets;
        st.inBytes += d.bytes;
      } else {
        st.outPkts += d.packets;
        st.outBytes += d.bytes;
      }
    }
  }

  /** ActiveConn/InActConn: NAT from conntrack (by ct mark), DR from the flow tables' entries. */
  async #refreshGauges(): Promise<void> {
    const nat = this.#views.filter((v) => v.mode === 'nat');
    if (nat.length > 0) {
      const r = await this.#exec.run(['cat', '/proc/net/nf_conntrack']);
      const g =
        r.code === 0 ? conntrackGauges(r.stdout) : new Map<number, { active: number; inactive: number }>();
      for (const v of nat) this.#setGauges(v, (mark) => g.get(mark) ?? { active: 0, inactive: 0 });
    }
    for (const v of this.#views.filter((x) => x.mode === 'dr')) {
      const objs = await this.#runner.listJson(['map', 'netdev', this.#table, `s${v.n}_flows`]);
      const tcp = v.protocol === 'tcp';
      // TCP: closing flows (FIN or RST seen) are inactive, as IPVS's FIN_WAIT/TIME_WAIT; UDP: all inactive.
      const closing = tcp
        ? setKeys(await this.#runner.listJson(['set', 'netdev', this.#table, `s${v.n}_fin`]))
        : undefined;
      const counts = new Map<number, { active: number; inactive: number }>();
      for (const [key, value] of mapEntries(objs)) {
        const c = counts.get(Number(value)) ?? { active: 0, inactive: 0 };
        if (closing === undefined || closing.has(keyText(key))) c.inactive++;
        else c.active++;
        counts.set(Number(value), c);
      }
      this.#setGauges(v, (mark) => counts.get(mark) ?? { active: 0, inactive: 0 });
    }
  }

  #setGauges(v: NftServiceView, of: (mark: number) => { active: number; inactive: number }): void {
    const svc = this.#director.services.get(v.id);
    for (const r of v.reals) {
      const real = svc?.findReal(r.id);
      if (!real) continue;
      const g = of(r.mark);
      real.activeConns = g.active;
      real.inactConns = g.inactive;
    }
  }

  /**
   * Dynamic entries the kernel cannot drop itself: DR flows of deleted real servers, persistence entries of
   * servers no longer honoured. Best effort, after the change is in force.
   */
  async #purge(before: readonly NftServiceView[], after: readonly NftServiceView[]): Promise<void> {
    const now = new Map(after.map((v) => [v.id, v]));
    for (const old of before) {
      const cur = now.get(old.id);
      if (!cur || cur === old) continue;
      const family = cur.mode === 'dr' ? 'netdev' : 'inet';
      const curMarks = new Set(cur.reals.map((r) => r.mark));
      const goneFlows = old.reals.filter((r) => !curMarks.has(r.mark)).map((r) => r.mark);
      if (cur.mode === 'dr' && old.mode === 'dr' && goneFlows.length > 0) {
        await this.#purgeMap(family, `s${cur.n}_flows`, new Set(goneFlows));
      }
      if (cur.mode === 'dr' && old.mode === 'dr' && cur.protocol === 'tcp') {
        const nowDown = new Set(cur.reals.filter((r) => !r.available).map((r) => r.mark));
        const fell = old.reals.filter((r) => r.available && nowDown.has(r.mark)).map((r) => r.mark);
        if (fell.length > 0) await this.#purgeClosing(cur.n, new Set(fell));
      }
      if (cur.persistence && old.persistence) {
        const kept = new Set(cur.reals.filter((r) => honoured(cur, r)).map((r) => r.mark));
        const lost = old.reals.filter((r) => honoured(old, r) && !kept.has(r.mark)).map((r) => r.mark);
        if (lost.length > 0) await this.#purgeMap(family, `s${cur.n}_persist`, new Set(lost));
      }
    }
  }

  /** Closing DR flows of servers that became unavailable (map-entries.ts closingPurgeScript). */
  async #purgeClosing(n: number, marks: ReadonlySet<number>): Promise<void> {
    try {
      const closing = setKeys(await this.#runner.listJson(['set', 'netdev', this.#table, `s${n}_fin`]));
      const flows = mapEntries(await this.#runner.listJson(['map', 'netdev', this.#table, `s${n}_flows`]));
      const script = closingPurgeScript(this.#table, n, flows, closing, marks);
      if (script !== '') await this.#runner.apply(script).catch(() => {});
    } catch (e) {
      this.#onError(e as Error);
    }
  }

  async #purgeMap(family: string, map: string, marks: ReadonlySet<number>): Promise<void> {
    try {
      const objs = await this.#runner.listJson(['map', family, this.#table, map]);
      const script = purgeScript(family, this.#table, map, mapEntries(objs), marks);
      await this.#runner.apply(script).catch(() => {
        // An entry expired between listing and deleting: the batch is refused as a whole; the rest expire.
      });
    } catch (e) {
      this.#onError(e as Error);
    }
  }
}

/** [key, value] pairs of the first map in `nft -j list map` output. */
export function createNftEngine(director: Director, opts?: NftEngineOptions): NftEngine {
  return new NftEngine(director, opts);
}
